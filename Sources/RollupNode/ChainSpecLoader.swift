import Engine
import Foundation

/// `--chain dev` or a path to a spec file.
enum ChainSpecLoader {
    static func load(_ chain: String) throws -> ChainSpec {
        if chain == "dev" {
            return try ChainSpec.parse(json: Data(ChainSpec.devJSON.utf8), source: "dev")
        }
        guard FileManager.default.fileExists(atPath: chain) else {
            throw StartupError("--chain \(chain): no such file (give `dev` or the path of a chain spec JSON file)")
        }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: chain)) } catch {
            throw StartupError("--chain \(chain): cannot read the file: \(error.localizedDescription)")
        }
        do { return try ChainSpec.parse(json: data, source: chain) } catch {
            throw StartupError("\(error)")
        }
    }
}
