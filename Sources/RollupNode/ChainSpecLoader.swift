import Engine
import Foundation

/// `--chain dev` or a path to a spec file.
enum ChainSpecLoader {
    static func load(_ chain: String) throws(StartupError) -> ChainSpec {
        if chain == "dev" {
            do { return try ChainSpec.parse(json: Data(ChainSpec.devJSON.utf8), source: "dev") } catch { throw .chainSpec(error) }
        }
        guard FileManager.default.fileExists(atPath: chain) else {
            throw .chainSpecNotFound(path: chain)
        }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: chain)) } catch {
            throw .chainSpecUnreadable(path: chain, underlying: error)
        }
        do { return try ChainSpec.parse(json: data, source: chain) } catch { throw .chainSpec(error) }
    }
}
