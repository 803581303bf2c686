import ArgumentParser
import CityCarbonPages
import CityCarbonServer
import CityCarbonStore
import Foundation
import Hummingbird
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the CityCarbon server on a workspace database.",
        discussion: """
        Serves the public pages, the open API under /api/v1 (its OpenAPI document at
        /api/v1/openapi.json), the staff pages under /staff (create the first admin with
        `citycarbon account add NAME --role admin`), /healthz and /metrics.
        With --demo and an empty workspace it first loads the demo city, publishes its
        inventories and creates two demo accounts, printing their passwords once.
        SIGTERM or SIGINT stops it after requests in flight finish.
        """
    )

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on.")
    var port = 8080

    @Flag(help: "Load the demo city into an empty workspace first; its meters keep sending readings while it runs.")
    var demo = false

    @Option(help: "Minutes between scans of the meter data for spikes, flat lines and silent meters.")
    var scanMinutes = 15

    @Flag(help: "Mark cookies Secure: use when clients reach the server over HTTPS.")
    var secureCookies = false

    @Option(name: .customLong("trusted-proxy"),
            help: "The address of a reverse proxy in front of the server (repeat for several): only its X-Forwarded-For is believed.")
    var trustedProxies: [String] = []

    @Option(help: "The audit key file (citycarbon audit key): the chain's head is signed after every publication and at /api/v1/audit/head.")
    var auditKey: String?

    @Option(help: "Log lines as text or json.")
    var logFormat: LogFormat = .text

    @Option(help: "trace, debug, info, notice, warning, error or critical; debug logs every request.")
    var logLevel: String = "info"

    @OptionGroup var workspace: WorkspaceOptions

    enum LogFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

    func validate() throws {
        guard scanMinutes >= 1 else { throw ValidationError("--scan-minutes must be at least 1") }
        guard (1...65535).contains(port) else { throw ValidationError("--port must be from 1 to 65535") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical") }
    }

    func run() async throws {
        let format = logFormat
        LoggingSystem.bootstrap { label in
            format == .json ? JSONLogHandler(label: label) as any LogHandler : StreamLogHandler.standardError(label: label)
        }
        var logger = Logger(label: "citycarbon")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let database = try CityCarbonDatabase(location: workspace.path)
        let key = try auditKey.map(AuditKey.load)
        if demo {
            if try DemoCity.seed(database, inclusion: true, air: true) {
                try PlanReport.seedDemo(database, actor: "demo", key: key)
                logger.info("loaded the demo city", metadata: ["database": .string(database.path)])
            }
            for account in try DemoCity.seedAccounts(database) {
                logger.notice("demo account created; its password is shown only now",
                              metadata: ["username": .string(account.username), "role": .string(account.role.rawValue), "password": .string(account.password)])
            }
        }
        let app = CityCarbonApplication.application(database: database, host: host, port: port,
                                                    options: ServerOptions(secureCookies: secureCookies, trustedProxies: Set(trustedProxies), auditKey: key), logger: logger)
        let scanEvery = Duration.seconds(scanMinutes * 60)
        let backgroundLogger = logger
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService() }
            // Alert rules look at what arrived; the demo's meters keep sending while it runs.
            group.addTask { [demo] in
                var lastScan = ContinuousClock.now
                while !Task.isCancelled {
                    try await Task.sleep(for: demo ? .seconds(60) : scanEvery)
                    do {
                        if demo { try DemoMonitoring.topUp(database) }
                        if ContinuousClock.now - lastScan >= scanEvery || !demo {
                            try MonitoringRepository(database).scan()
                            lastScan = ContinuousClock.now
                        }
                    } catch {
                        backgroundLogger.error("monitoring background work failed", metadata: ["error": .string("\(error)")])
                    }
                }
            }
            // Approved transfers outside a trusted list run when their delay has passed.
            group.addTask {
                while !Task.isCancelled {
                    try await Task.sleep(for: .seconds(60))
                    do {
                        for request in try TransferRequests(database).runDue() {
                            backgroundLogger.info("scheduled transfer ran", metadata: ["request": .stringConvertible(request.id),
                                                                                       "status": .string(request.status.rawValue)])
                        }
                    } catch {
                        backgroundLogger.error("running due transfers failed", metadata: ["error": .string("\(error)")])
                    }
                }
            }
            // The server stopping (SIGTERM) ends the background work with it.
            try await group.next()
            group.cancelAll()
        }
    }
}
