import ArgumentParser
import CityCarbonPages
import CityCarbonStore
import Foundation

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a workspace database (a SQLite file, or a PostgreSQL database by URL) for a city's inventory.",
        discussion: "Does nothing to a workspace that already exists, except bring its schema up to date."
    )

    @Flag(help: "Load the demo city (jurisdictions, activity data, computed and published inventories) into an empty workspace.")
    var demo = false

    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
        let existed = !workspace.isPostgres && FileManager.default.fileExists(atPath: workspace.path)
        let database = try CityCarbonDatabase(location: workspace.path)
        print(existed || workspace.isPostgres ? "Workspace \(database.path) is up to date." : "Created workspace \(database.path).")
        if demo {
            if try DemoCity.seed(database, by: "citycarbon init --demo", inclusion: true, air: true) {
                try PlanReport.seedDemo(database, actor: "citycarbon init --demo")
                print("Loaded the demo city: \(try PublicationRepository(database).publishedYears().map(String.init).joined(separator: ", ")) computed and published.")
            } else {
                throw CLIFailure.input("the workspace already has activity data; the demo city goes only into an empty one")
            }
        }
    }
}
