import ArgumentParser
import CarbonKit
import CityCarbonStore
import Foundation

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "The audit trail: every change of data, who made it, before and after, chained by hash.",
        subcommands: [Verify.self, List.self, Key.self, Checkpoint.self]
    )

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the hash chain, signed checkpoints and every published inventory; exit 1 naming what does not hold.",
            discussion: """
                The chain is recomputed event by event. With --public-key (or --key), every checkpoint kept in the                 workspace and in --checkpoints files (saved /api/v1/audit/head answers, or the checkpoints published                 with inventories) must be signed by that key and match the chain: a removed tail or a rewritten and                 re-hashed chain contradicts them. Each published inventory is recomputed from its pinned rows and                 compared with its stored totals and with what its publication event recorded.
                """)

        @Option(help: "A file of signed checkpoints to check the chain against (repeatable).")
        var checkpoints: [String] = []

        @Option(help: "The Ed25519 public key (hex) that signs checkpoints.")
        var publicKey: String?

        @Option(help: "The key file; its public key is trusted.")
        var key: String?

        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let database = try workspace.open()
            let trail = AuditTrail(database)
            let result = try trail.verify()
            var problems: [String] = []
            if let bad = result.firstBad { problems.append("audit trail broken at event \(bad.id): \(bad.reason); \(result.events) events before it hold") }
            let trusted = try publicKey ?? key.map { try AuditKey.load($0).publicKeyHex }
            var signed = try trail.checkpoints()
            for file in checkpoints { signed += try AuditCheckpoint.read(try FileInput.read(file), file: file) }
            if let trusted {
                problems += try trail.problems(against: signed, trusting: trusted)
            } else if !checkpoints.isEmpty {
                throw CLIFailure.input("--checkpoints needs the key they were signed with: --public-key HEX or --key FILE")
            }
            problems += try PublicationRepository(database).problems()
            problems += try StatisticsRepository(database).problems()
            problems += try IndicatorRepository(database).problems()
            problems += try PlanReportRepository(database).problems()
            guard problems.isEmpty else { throw CLIFailure.input(problems.joined(separator: "\n")) }
            let years = try PublicationRepository(database).publishedYears()
            print("Audit trail intact: \(result.events) events"
                  + (trusted == nil ? "" : ", \(signed.count) signed checkpoint\(signed.count == 1 ? "" : "s") hold")
                  + "; \(years.count) published inventor\(years.count == 1 ? "y" : "ies") recomputed from their pinned rows; "
                  + "the published statistics and indicators and every frozen report are as they were published.")
        }
    }

    struct Key: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the Ed25519 key that signs the audit chain's checkpoints; prints its public key.",
            discussion: "Keep the file outside the database and its backups (serve --audit-key FILE reads it); publish the public key.")

        @Option(help: "The new key file (never overwritten).")
        var out: String

        func run() throws {
            let key = AuditKey.generate()
            try key.write(to: out)
            print(key.publicKeyHex)
        }
    }

    struct Checkpoint: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign the audit chain's head now, keep it in the workspace and print it (JSON) for safekeeping elsewhere.")

        @Option(help: "The key file.")
        var key: String

        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let checkpoint = try AuditTrail(try workspace.open()).checkpoint(with: try AuditKey.load(key), subject: "cli")
            print(checkpoint.json.serialized())
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
