import ArgumentParser
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
        Serves the open API under /api/v1 (its OpenAPI document at /api/v1/openapi.json),
        /healthz and /metrics. With --demo and an empty workspace it first loads the demo city
        and publishes its inventories. SIGTERM or SIGINT stops it after requests in flight finish.
        """
    )

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on.")
    var port = 8080

    @Flag(help: "Load the demo city into an empty workspace first.")
    var demo = false

    @OptionGroup var workspace: WorkspaceOptions

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be from 1 to 65535") }
    }

    func run() async throws {
        var logger = Logger(label: "citycarbon")
        logger.logLevel = .info
        let database = try CityCarbonDatabase(path: workspace.path)
        if demo, try DemoCity.seed(database) {
            logger.info("loaded the demo city", metadata: ["database": .string(workspace.path)])
        }
        let app = CityCarbonApplication.application(database: database, host: host, port: port, logger: logger)
        try await app.runService()
    }
}
