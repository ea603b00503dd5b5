import JSON
import NIOCore

/// Method lookup, parameter counts, the timeout and error mapping.
extension RPCDispatcher {
    func dispatch(method name: String, params raw: JSONValue, deadline: NIODeadline?) async -> Result<JSONValue, JSONRPCError> {
        let start = NIODeadline.now()
        let result = await dispatchUnmeasured(method: name, params: raw, deadline: deadline)
        let failed: Bool
        if case .failure = result { failed = true } else { failed = false }
        metrics.record(name, nanoseconds: (NIODeadline.now() - start).nanoseconds, failed: failed)
        return result
    }

    private func dispatchUnmeasured(method name: String, params raw: JSONValue, deadline: NIODeadline?) async -> Result<JSONValue, JSONRPCError> {
        guard let method = methods[name] else { return .failure(.methodNotFound(name)) }
        let values: [JSONValue]
        switch raw {
        case .null: values = []
        case .array(let a): values = a
        default: return .failure(.invalidParams("non-array args"))
        }
        if values.count > method.parameters.upperBound {
            return .failure(.invalidParams("too many arguments, want at most \(method.parameters.upperBound)"))
        }
        if values.count < method.parameters.lowerBound {
            return .failure(.invalidParams("missing value for required argument \(values.count)"))
        }
        let params = RPCParams(values)
        guard let deadline else { return await run(method, params) }
        if deadline <= timerLoop.now { return .failure(.timeout) }
        if method.execution == .inline { return await run(method, params) }
        let race = CallRace()
        let loop = timerLoop
        let outcome = await withTaskGroup(of: Void.self) { group in
            let outcome = await withCheckedContinuation { continuation in
                race.install(continuation)
                group.addTask { race.finish(await self.run(method, params)) }
                race.arm(at: deadline, on: loop)
            }
            group.cancelAll()  // a handler that lost the race is cancelled (and awaited here)
            return outcome
        }
        if case .failure(let e) = outcome, e == .timeout {
            logger.warning("RPC handler timed out", metadata: ["method": "\(name)"])
        }
        return outcome
    }

    func run(_ method: RPCMethodTable.Method, _ params: RPCParams) async -> Result<JSONValue, JSONRPCError> {
        do {
            return .success(try await method.handler(params))
        } catch let error as JSONRPCError {
            return .failure(error)
        } catch let error as any JSONRPCErrorConvertible {
            return .failure(error.jsonRPCError)
        } catch is CancellationError where Task.isCancelled {
            return .failure(.timeout)  // cancelled by the timer (or by shutdown)
        } catch {
            logger.error(
                "RPC handler failed",
                metadata: ["method": "\(method.name)", "error": "\(String(reflecting: error))"])
            return .failure(.internalError)
        }
    }
}
