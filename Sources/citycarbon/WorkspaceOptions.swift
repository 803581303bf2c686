import ArgumentParser
import CityCarbonStore
import Foundation

/// Where the workspace database is: `--database`, else `$CITYCARBON_DATABASE`, else
/// `citycarbon.sqlite` in the current directory. A `postgres://` URL names a PostgreSQL database.
struct WorkspaceOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The workspace: a SQLite file, or postgres://user:password@host:port/database.", valueName: "path|url"))
    var database: String?

    @Option(help: ArgumentHelp("Who makes the change, for the audit trail (default: $USER).", valueName: "name"))
    var actor: String?

    /// The name recorded with every change this command makes.
    var who: String {
        actor ?? ProcessInfo.processInfo.environment["USER"].map { "cli:\($0)" } ?? "cli"
    }

    var path: String {
        database ?? ProcessInfo.processInfo.environment["CITYCARBON_DATABASE"] ?? "citycarbon.sqlite"
    }

    var isPostgres: Bool { path.hasPrefix("postgres://") || path.hasPrefix("postgresql://") }

    /// Opens an existing workspace; `citycarbon init` creates one. A PostgreSQL database is
    /// given its schema on first use.
    func open() throws -> CityCarbonDatabase {
        guard isPostgres || FileManager.default.fileExists(atPath: path) else {
            throw CLIFailure.usage("no workspace at \(path): create one with `citycarbon init` or pass --database")
        }
        return try CityCarbonDatabase(location: path)
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}

enum GWPChoice: String, ExpressibleByArgument, CaseIterable {
    case SAR, AR4, AR5, AR6

    init?(argument: String) { self.init(rawValue: argument.uppercased()) }
}
