import ArgumentParser
import CityCarbonStore
import Foundation

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a workspace database (SQLite) for a city's inventory.",
        discussion: "Does nothing to a workspace that already exists, except bring its schema up to date."
    )

    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
        let existed = FileManager.default.fileExists(atPath: workspace.path)
        _ = try CityCarbonDatabase(path: workspace.path)
        print(existed ? "Workspace \(workspace.path) is up to date." : "Created workspace \(workspace.path).")
    }
}
