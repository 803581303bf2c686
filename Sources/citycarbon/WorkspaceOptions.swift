import ArgumentParser
import CityCarbonStore
import Foundation

/// Where the workspace database is: `--database`, else `$CITYCARBON_DATABASE`, else
/// `citycarbon.sqlite` in the current directory.
struct WorkspaceOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The workspace database file.", valueName: "path"))
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

    /// Opens an existing workspace; `citycarbon init` creates one.
    func open() throws -> CityCarbonDatabase {
        guard FileManager.default.fileExists(atPath: path) else {
            throw CLIFailure.usage("no workspace at \(path): create one with `citycarbon init` or pass --database")
        }
        return try CityCarbonDatabase(path: path)
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}

enum GWPChoice: String, ExpressibleByArgument, CaseIterable {
    case SAR, AR4, AR5, AR6

    init?(argument: String) { self.init(rawValue: argument.uppercased()) }
}
