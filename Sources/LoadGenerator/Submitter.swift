/// One keep-alive connection sending eth_sendRawTransaction as the controller dispatches: wait
/// until the job is due, send, read the answer, report it. A broken connection is retried once
/// on a new one (the node closes idle ones); failing again, the node is reported lost.
struct Submitter {
    let controller: LoadController
    let endpoint: HTTPEndpoint

    func run() {
        let client = RPCClient(endpoint: endpoint)
        while true {
            switch controller.dispatch() {
            case .finished:
                return
            case .wait(let ns):
                sleepNanoseconds(ns)
            case .send(let job):
                let now = monotonicNanoseconds()
                if job.due > now { sleepNanoseconds(job.due - now) }
                let body = RPCClient.sendRawBody(controller.plan.senders[job.sender].encoded(nonce: job.nonce))
                let response: HTTPConnection.Response
                do {
                    response = try send(client, body)
                } catch {
                    client.connection.close()
                    if controller.connectionLost(epoch: job.epoch, error: error) {
                        say("rollup-load: lost the node: \(error)")
                    }
                    continue
                }
                do {
                    switch try RPCClient.reply(from: try client.parse(response), method: "eth_sendRawTransaction") {
                    case .result(let value):
                        guard value.hash == job.hash else {
                            controller.fail(LoadGeneratorError(.protocolViolation, "eth_sendRawTransaction returned \(value), expected \(job.hash)"))
                            return
                        }
                        controller.accepted(job)
                    case .error(_, let message):
                        controller.rejected(job, message: message)
                    }
                } catch {
                    controller.fail(error)
                    return
                }
            }
        }
    }

    private func send(_ client: RPCClient, _ body: [UInt8]) throws(LoadGeneratorError) -> HTTPConnection.Response {
        do { return try client.connection.post(body) } catch {
            guard error.isTransient else { throw error }
            return try client.connection.post(body)  // once more, on a new connection
        }
    }
}
