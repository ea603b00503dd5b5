import Engine
import Foundation
import HTTPClient
import L1Watcher
import Logging
import Primitives
import RPC
import ServiceLifecycle
import Signer
import Storage

/// Wires the components for `rollup-node node` and runs them until SIGINT/SIGTERM.
struct NodeRunner {
    let options: NodeCommand
    let environment: [String: String]

    func run() async throws {
        let defaultLevel = try options.log.parsedLevel()
        let filter = try options.log.parsedFilter()
        LoggingSystem.bootstrap { ComponentLogHandler(label: $0, defaultLevel: defaultLevel, filter: filter) }
        let logger = Logger(label: "node")
        // Before any component makes its metrics: they bind to the backend bootstrapped here.
        let metrics = options.metrics.enabled ? NodeMetrics() : nil

        let spec = try ChainSpecLoader.load(options.chain.chain)
        let datadir = options.chain.resolvedDatadir(chainName: spec.name, environment: environment)
        let db: RocksDatabase
        do {
            db = try RocksDatabase.open(path: datadir + "/db", columnFamilies: ChainDatabase.columnFamilies + L1Watcher.columnFamilies)
        } catch {
            throw StartupError.database(error)
        }
        defer { db.close() }
        let chain: Chain
        do throws(EngineError) {
            let tables: ChainDatabase
            do { tables = try ChainDatabase(db) } catch { throw EngineError.storage(error) }
            chain = try Chain(database: tables, spec: spec, stateHistory: options.chain.stateHistory, logger: Logger(label: "engine"))
        } catch {
            throw StartupError.chain(datadir: datadir, error)
        }

        metrics?.observe(chain)
        metrics?.watch(database: db)
        let poolConfiguration = MempoolConfiguration(
            chainID: spec.chainID, minimumTip: options.txpool.priceLimit.value, minimumBaseFee: spec.baseFee.minimum,
            lifetime: options.txpool.lifetime.seconds)
        let mempool = Mempool(configuration: poolConfiguration, head: chain.mempoolHead, rules: spec.evmRules,
                              logger: Logger(label: "mempool"))
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        let watcher = try makeWatcher(spec: spec, database: db)
        if let watcher { services.append(.init(service: WatcherService(watcher: watcher))) }

        var sequencer: Sequencer<Mempool, ContinuousClock>?
        var development: DevelopmentChainControl?
        var signerSummary = "none (not sequencing)"
        if options.sequencer.enabled {
            let sealer = try await makeSealer(spec: spec, datadir: datadir, logger: logger)
            signerSummary = "\(sealer.address) (\(sealer.backend))"
            let configuration = options.sequencer.configuration(defaultMaxL1Messages: Int(spec.maxL1MessagesPerBlock))
            // --test: block timestamps follow evm_increaseTime / evm_setNextBlockTimestamp.
            let developmentClock = DevelopmentClock(system: { UInt64(Date().timeIntervalSince1970) })
            let wallClock: @Sendable () -> UInt64
            if options.chain.test {
                wallClock = { developmentClock.blockTimestamp() }
                chain.onNewHead { block in developmentClock.committed(timestamp: block.header.timestamp) }
            } else {
                wallClock = { UInt64(Date().timeIntervalSince1970) }
            }
            do {
                let l1: any L1MessageSource = watcher.map { WatcherL1Source(watcher: $0) } ?? NoL1()
                let s = try Sequencer(chain: chain, pool: mempool, l1: l1, sealer: sealer, clock: ContinuousClock(),
                                      wallClock: wallClock, configuration: configuration,
                                      logger: Logger(label: "sequencer"))
                sequencer = s
                let rollback = L2Rollback(chain: chain, mempool: mempool, watcher: watcher, signer: sealer.signer)
                watcher?.setReorgHandler(L1ReorgCoordinator(rollback: rollback, sequencer: s, logger: Logger(label: "node")))
                if options.chain.test {
                    development = DevelopmentChainControl(rollback: rollback, sequencer: s, clock: developmentClock,
                                                          logger: Logger(label: "node"))
                }
                services.append(.init(service: SequencerService(sequencer: s, logger: logger)))
            } catch {
                throw StartupError.sequencer(error)
            }
        }

        var follower: Follower?
        var forwarder: TransactionForwarder?
        if options.follow.enabled {
            let authorized = options.signer.address ?? spec.authorizedSigner
            do {
                let f = try Follower(chain: chain, mempool: mempool, urls: options.follow.urls, authorizedSigner: authorized,
                                     batchSize: options.follow.batchSize, watcher: watcher, logger: Logger(label: "follower"))
                follower = f
                forwarder = try TransactionForwarder(target: { f.currentSource })
                services.append(.init(service: FollowerService(follower: f)))
            } catch {
                throw StartupError.followerHTTPClient(error)
            }
            // The sequencer decides rollbacks: an L1 reorg seen here only clears this node's
            // inclusion records, and the L2 chain follows the sequencer's signed rollback notice.
            watcher?.setReorgHandler(FollowerL1ReorgHandler(watcher: watcher, logger: Logger(label: "follower")))
        }
        let feed = SignedBlockFeed(chain: chain, announce: sequencer != nil, logger: Logger(label: "sequencer"))
        feed.start()

        metrics?.watch(mempool: mempool, watcher: watcher, sequencer: sequencer)
        var endpoint = "disabled (--http not given)"
        var server: RPCServer?
        let hub = RPCEventHub()
        let methods = NodeRPCMethods.table(chain: chain, mempool: mempool, sequencer: sequencer, watcher: watcher, hub: hub,
                                           maxLogBlockRange: options.http.maxBlocksPerFilter, maxLogResults: options.http.maxLogsPerResponse,
                                           accountKeys: options.chain.test ? DevelopmentKeys.all : [], development: development,
                                           feed: feed, follower: follower, forwarder: forwarder)
        // --test also serves personal_sign for the development accounts, anvil's mining and
        // snapshot methods, and the debug namespace, as anvil does.
        let testNamespaces = options.chain.test ? NodeCommand.developmentNamespaces + ["debug"] : []
        let httpNamespaces = options.http.namespaces + testNamespaces.filter { !options.http.namespaces.contains($0) }
        let wsNamespaces = options.ws.namespaces + testNamespaces.filter { !options.ws.namespaces.contains($0) }
        if options.http.enabled || options.ws.enabled { ChainEventPublisher(chain: chain, hub: hub).start() }
        if options.http.enabled {
            let s = RPCServer(
                // In-flight requests get 1 s at shutdown, so that SIGINT/SIGTERM end the node
                // within 2 s (the sequencer's slot in progress is finished or abandoned meanwhile).
                configuration: .init(host: options.http.addr, port: options.http.port, corsOrigins: options.http.corsOrigins,
                                     enabledNamespaces: Set(httpNamespaces), shutdownGracePeriod: .seconds(1)),
                methods: methods, health: { .serving(headNumber: chain.headBlock.number) }, logger: Logger(label: "rpc"))
            server = s
            endpoint = "http://\(options.http.addr):\(options.http.port) (\(httpNamespaces.joined(separator: ",")))"
            services.append(.init(service: s))
        }
        var wsEndpoint = "disabled (--ws not given)"
        var wsServer: WebSocketServer?
        if options.ws.enabled {
            let s = WebSocketServer(
                configuration: .init(host: options.ws.addr, port: options.ws.port, origins: options.ws.allowedOrigins,
                                     enabledNamespaces: Set(wsNamespaces)),
                methods: methods, hub: hub, logger: Logger(label: "rpc"))
            wsServer = s
            wsEndpoint = "ws://\(options.ws.addr):\(options.ws.port) (\(wsNamespaces.joined(separator: ",")))"
            services.append(.init(service: s))
        }

        var metricsEndpoint = "disabled (--metrics not given)"
        if let metrics {
            metrics.watch(http: server, ws: wsServer)
            services.append(.init(service: MetricsServer(host: options.metrics.addr, port: options.metrics.port,
                                                         logger: Logger(label: "node"), render: { metrics.render() })))
            metricsEndpoint = "http://\(options.metrics.addr):\(options.metrics.port)/metrics"
        }

        let head = chain.headBlock
        logger.info("Starting rollup-node", metadata: [
            "chain": "\(spec.name)", "chain_id": "\(spec.chainID)", "genesis": "\(chain.genesisHash)", "evm": "\(spec.evmRules.name)",
            "head": "\(head.number) \(head.hash)", "datadir": "\(datadir)", "state_served": "\(chain.stateHistory)",
            "mode": "\(options.sequencer.enabled ? "sequencer" : follower != nil ? "follower of \(options.follow.urls.joined(separator: ","))" : "node")\(options.chain.test ? ", test (development chain)" : "")",
            "signer": "\(signerSummary)",
            "l1": "\(options.l1.urls.isEmpty ? "none" : "\(options.l1.urls.joined(separator: ",")) (\(options.sequencer.l1InclusionMode))")",
            "http": "\(endpoint)",
            "ws": "\(wsEndpoint)",
            "metrics": "\(metricsEndpoint)",
        ])
        if services.isEmpty {
            logger.warning("Nothing to run: give --sequencer.enabled or --follow, --http and/or --ws")
            return
        }
        if let server {
            Task {
                if let port = try? await server.boundPort() {
                    logger.info("JSON-RPC listening on http://\(options.http.addr):\(port)")
                }
            }
        }
        if let wsServer {
            Task {
                if let port = try? await wsServer.boundPort() {
                    logger.info("JSON-RPC listening on ws://\(options.ws.addr):\(port)")
                }
            }
        }
        services.append(.init(service: SignedBlockFeedService(feed: feed)))
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint],
                                                      logger: logger))
        do {
            try await group.run()
        } catch {
            throw StartupError.service(error)
        }
        logger.info("Stopped", metadata: ["head": "\(chain.headBlock.number)"])
    }

    /// The L1 watcher for `--l1.url` (nil without one: only `--test` runs without an L1).
    func makeWatcher(spec: ChainSpec, database: RocksDatabase) throws(StartupError) -> L1Watcher? {
        let urls = options.l1.urls
        guard !urls.isEmpty else { return nil }
        let configuration = L1Watcher.Configuration(
            endpoints: urls, chainID: spec.l1.chainID, messageQueue: spec.l1.messageQueue, startBlock: spec.l1.startBlock,
            inclusionMode: options.sequencer.l1InclusionMode, pollInterval: .milliseconds(Int64(options.l1.pollInterval)), queryRange: options.l1.queryRange)
        let client: CurlHTTPClient
        do {
            client = try CurlHTTPClient(configuration: .init(connectTimeout: .seconds(3), requestTimeout: configuration.requestTimeout),
                                        label: "l1")
        } catch {
            throw StartupError.l1HTTPClient(error)
        }
        do {
            return try L1Watcher(configuration: configuration, database: database, transport: HTTPClientL1Transport(client: client),
                                 logger: Logger(label: "watcher"))
        } catch {
            throw StartupError.l1Watcher(error)
        }
    }

    /// The block signer behind the double-sign guard, checked against the chain's authorized signer.
    func makeSealer(spec: ChainSpec, datadir: String, logger: Logger) async throws -> GuardedSealer {
        let configuration = try SignerSetup.configuration(options.signer, testMode: options.chain.test, environment: environment)
        let expected = options.signer.address
        let signerLogger = Logger(label: "signer")
        let signer: any BlockSigner
        do {
            signer = try await SignerFactory.makeSigner(configuration, expectedAddress: expected, logger: signerLogger)
        } catch {
            throw StartupError.signer(error)
        }
        if case .testKey = configuration {
            signerLogger.warning("\(LocalKeySigner.developmentKeyWarning)")
        }
        if signer.address != spec.authorizedSigner {
            let refusal = StartupError.unauthorizedSigner(signer: signer.address, authorized: spec.authorizedSigner)
            if options.chain.test { signerLogger.warning("\(refusal) (allowed with --test)") } else { throw refusal }
        }
        do {
            let guarded = try await GuardedSigner(wrapping: signer, journalPath: datadir + "/signer-journal", logger: signerLogger)
            return GuardedSealer(signer: guarded, address: signer.address, backend: signer.backendDescription)
        } catch {
            throw StartupError.signer(error)
        }
    }
}

/// The engine's view of the guarded signer.
struct GuardedSealer: BlockSealer {
    let signer: GuardedSigner
    let address: Address
    let backend: String
    func sign(digest: Hash32, height: UInt64) async throws -> [UInt8] {
        let start = ContinuousClock.now
        do {
            let signature = try await signer.sign(digest: digest, height: height).bytes
            NodeMetrics.recordSigning(backend: kind, duration: start.duration(to: .now), failed: false)
            return signature
        } catch {
            NodeMetrics.recordSigning(backend: kind, duration: start.duration(to: .now), failed: true)
            throw error
        }
    }

    /// The backend's kind for metric labels (`kms`, `key-file`, `test-key`, …): no key ids.
    var kind: String {
        let b = backend.lowercased()
        if b.contains("kms") { return "kms" }
        if b.contains("test") || b.contains("development") { return "test-key" }
        if b.contains("file") { return "key-file" }
        return "local"
    }
}

/// Runs the sequencer's ticker under the service group; graceful shutdown cancels it between
/// (or inside) slots.
struct SequencerService: Service {
    let sequencer: Sequencer<Mempool, ContinuousClock>
    let logger: Logger
    func run() async throws {
        do { try await sequencer.recoverPendingBlock() } catch {
            logger.error("Could not finish the block pending from the last run (it is retried each slot): \(error)")
        }
        await cancelWhenGracefulShutdown { await sequencer.run() }
    }
}
