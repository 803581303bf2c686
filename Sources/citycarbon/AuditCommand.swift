import ArgumentParser
import CarbonKit
import CityCarbonStore
import Foundation

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "The audit trail: every change of data, who made it, before and after, chained by hash.",
        subcommands: [Verify.self, List.self]
    )

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the hash chain; exit 1 naming the first event that was altered or removed.")

        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let result = try AuditTrail(try workspace.open()).verify()
            if let bad = result.firstBad {
                throw CLIFailure.input("audit trail broken at event \(bad.id): \(bad.reason); \(result.events) events before it hold")
            }
            print("Audit trail intact: \(result.events) events.")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List events, newest first.")

        @Option(help: "Only events of this entity (jurisdiction, factor_set, activity_file, inventory, publication).")
        var entity: String?

        @Option(help: "Only events by this actor.")
        var by: String?

        @Option(help: "At most this many events.")
        var limit = 50

        @Flag(help: "Print the before and after states.")
        var details = false

        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let events = try AuditTrail(try workspace.open()).events(entity: entity, actor: by, limit: limit)
            if events.isEmpty { print("No events."); return }
            print(TextTable.render(header: ["#", "At", "Actor", "Action", "Entity", "Id", "Hash"], rows: events.map {
                [String($0.id), $0.at, $0.actor, $0.action, $0.entity, $0.entityID ?? "", String($0.hash.prefix(12))]
            }, rightAligned: [0]))
            if details {
                for e in events { print("\n#\(e.id) before: \(e.before ?? "-")\n#\(e.id) after:  \(e.after ?? "-")") }
            }
        }
    }
}
