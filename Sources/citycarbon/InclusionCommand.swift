import ArgumentParser
import CarbonInclusion
import CarbonKit
import CityCarbonStore
import Foundation

/// `citycarbon inclusion`: carbon inclusion from the command line — partners, a batch of
/// events posted as a partner would, the city's totals, claims' expiry and raw data's
/// retention, lots and their issue into the registry, and the ledger's reconciliation.
struct InclusionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inclusion",
        abstract: "Carbon inclusion: partners, events, totals, expiry and retention, lots, reconciliation.",
        discussion: """
        Partners post residents' behaviour through the API (signed, or with an OAuth token);
        this command is for the climate office and for scripts.
          citycarbon inclusion partner add amap --name "Map app" --scenario walk --scenario metro
          citycarbon inclusion post events.json --partner amap
          citycarbon inclusion totals --year 2026 --by behaviour
          citycarbon inclusion household enrol home-17 --account did:city:4f1c   # a metered home, for the electricity methodology
          citycarbon inclusion household credit --day 2026-03-09                  # each enrolled home's saving that day, from its meter
          citycarbon inclusion recompute 42 --methodology walk@antforest-2016
          citycarbon inclusion sweep                       # expire closed claim windows, drop raw data past retention
          citycarbon inclusion lot build 2026-03
          citycarbon inclusion lot issue CITY-202603-1 --account INCL-1
          citycarbon inclusion reconcile
        """,
        subcommands: [Partner.self, Post.self, Household.self, Totals.self, Recompute.self, Sweep.self, Lot.self, Reconcile.self]
    )

    static func refused(_ error: any Error) -> any Error {
        if let refusal = error as? InclusionRefusal { return CLIFailure.input(refusal.description) }
        return error
    }

    struct Partner: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register, list or revoke partners.", subcommands: [Add.self, List.self, Revoke.self])

        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Register a partner; prints its signing and client secrets once.")
            @Argument(help: "The partner's code: 2–32 lower-case letters, digits or hyphens, or Self.") var code: String
            @Option(help: "Its name.") var name: String
            @Option(help: "The scheme it posts into.") var scheme = "city"
            @Option(help: ArgumentHelp("A scenario it may post. Repeat.", valueName: "scenario")) var scenario: [String] = []
            @OptionGroup var workspace: WorkspaceOptions

            func run() throws {
                let made = try InclusionPartners(try workspace.open()).register(code: code, name: name, scheme: scheme, scenarios: scenario, by: workspace.who)
                print("partner \(made.partner.code) registered in scheme \(made.partner.scheme) for \(made.partner.scenarios.joined(separator: ", "))")
                print("signing secret: \(made.signingSecret)")
                print("OAuth client id: \(made.partner.code), client secret: \(made.clientSecret)")
                print("Give these to the partner now: they are not shown again.")
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List partners and their scopes.")
            @OptionGroup var workspace: WorkspaceOptions

            func run() throws {
                let rows = try InclusionPartners(try workspace.open()).all().map {
                    [$0.code, $0.name, $0.scheme, $0.scenarios.joined(separator: " "), $0.revokedAt.map { "revoked \($0)" } ?? "live"]
                }
                print(TextTable.render(header: ["code", "name", "scheme", "scenarios", "status"], rows: rows))
            }
        }

        struct Revoke: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Revoke a partner: its signatures and tokens stop working.")
            @Argument var code: String
            @OptionGroup var workspace: WorkspaceOptions

            func run() throws {
                guard try InclusionPartners(try workspace.open()).revoke(code, by: workspace.who) else { throw CLIFailure.input("no live partner \(code)") }
                print("partner \(code) revoked")
            }
        }
    }

    struct Post: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Post a JSON file of events as a partner, through the same checks and fraud screen as the API.",
            discussion: "The file is the API's body: {\"events\": [...]}. A serial posted before returns its first answer.")
        @Argument(help: "The events file.") var file: String
        @Option(help: "The partner posting.") var partner: String
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let database = try workspace.open()
            guard let found = try InclusionPartners(database).partner(partner), found.revokedAt == nil else { throw CLIFailure.input("no live partner \(partner)") }
            guard let data = FileManager.default.contents(atPath: file) else { throw CLIFailure.input("cannot read \(file)") }
            let events: [BehaviourEvent]
            switch PartnerBatch.decode(data, partner: found.code, scheme: found.scheme) {
            case let .success(decoded): events = decoded
            case let .failure(errors): throw CLIFailure.input(errors.issues.map { "\(file): \($0)" }.joined(separator: "\n"))
            }
            do { try InclusionIntake(database).checkDistricts(events) } catch let errors as InputErrors {
                throw CLIFailure.input(errors.issues.map { "\(file): \($0)" }.joined(separator: "\n"))
            }
            let posted = try InclusionIntake(database).post(events, from: found)
            var counts: [String: Int] = [:]
            for event in posted { counts[event.repeated ? "repeated" : event.outcome.decision.rawValue, default: 0] += 1 }
            for event in posted where event.outcome.decision == .refused || event.outcome.decision == .held {
                print("\(event.serial): \(event.outcome.decision.rawValue) (\(event.outcome.rule ?? "")): \(event.outcome.reason ?? "")")
            }
            print(counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))
        }
    }

    struct Household: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Household electricity from the meters monitoring ingests: enrol a home, credit a day.",
            subcommands: [Enrol.self, Credit.self])

        struct Enrol: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Enrol a monitoring site (a home's meter) for a resident's account.")
            @Argument(help: "The monitoring site.") var site: String
            @Option(help: "The resident's pseudonymous id in the scheme.") var account: String
            @Option(help: "The scheme.") var scheme = "city"
            @Option(help: ArgumentHelp("A condition the methodology excludes (tariff_tier_3, distributed_pv). Repeat.", valueName: "condition"))
            var condition: [String] = []
            @OptionGroup var workspace: WorkspaceOptions

            func run() throws {
                do {
                    try InclusionHouseholds(try workspace.open()).enrol(site: site, scheme: scheme, did: account, conditions: condition, by: workspace.who)
                    print("site \(site) enrolled for \(account)")
                } catch { throw InclusionCommand.refused(error) }
            }
        }

        struct Credit: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Credit each enrolled home's saving on a day (run it daily, after the day's readings are in); a day twice credits once.")
            @Option(help: "The day, like 2026-03-09 (default: yesterday).") var day: String?
            @OptionGroup var workspace: WorkspaceOptions

            func run() throws {
                let date = day.flatMap { Day($0) } ?? Day.today.adding(days: -1)
                if let day, Day(day) == nil { throw CLIFailure.usage("--day \(day) is not a date like 2026-03-09") }
                do {
                    let posted = try InclusionHouseholds(try workspace.open()).credit(day: date)
                    for event in posted {
                        print("\(event.serial): \(event.outcome.decision.rawValue) \(event.outcome.grams) g\(event.outcome.reason.map { " (\($0))" } ?? "")")
                    }
                    print("\(posted.count) homes with a saving on \(date)")
                } catch { throw InclusionCommand.refused(error) }
            }
        }
    }

    struct Totals: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Credited reductions by behaviour, month, district or scheme.")
        @Option(help: "Only this year.") var year: Int?
        @Option(help: ArgumentHelp("Group by: \(InclusionReads.Grouping.allCases.map(\.rawValue).joined(separator: ", ")).")) var by = "behaviour"
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            guard let grouping = InclusionReads.Grouping(rawValue: by) else {
                throw CLIFailure.usage("--by \(by) is not one of \(InclusionReads.Grouping.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let reads = InclusionReads(try workspace.open())
            var rows = try reads.totals(by: grouping, year: year).map { [$0.key, String(format: "%.6f", $0.tonnes), String($0.credits), String($0.accounts)] }
            let total = try reads.total(year: year)
            rows.append(["all", String(format: "%.6f", total.tonnes), String(total.credits), String(total.accounts)])
            print(TextTable.render(header: [by, "t CO2e", "credits", "residents"], rows: rows))
        }
    }

    struct Recompute: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "An event's reduction computed again from its stored activity under another methodology version.")
        @Argument(help: "The event's id.") var id: Int64
        @Option(help: "The version, as code@version.") var methodology: String
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            do {
                let result = try InclusionAccounts(try workspace.open()).recompute(id, under: methodology)
                print("stored: \(result.stored.grams) g under \(result.stored.methodology ?? "none") (\(result.stored.decision.rawValue))")
                print("under \(result.methodology.id): \(result.recomputed) g (the formula alone, before caps)")
            } catch { throw InclusionCommand.refused(error) }
        }
    }

    struct Sweep: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Expire credits whose claim window closed, and drop raw activity past each scheme's retention.")
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let accounts = InclusionAccounts(try workspace.open())
            let expired = try accounts.expire(), purged = try accounts.purge()
            print("\(expired) credits expired; raw activity dropped from \(purged) events")
        }
    }

    struct Lot: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Build a month's lot, or issue one into the registry.", subcommands: [Build.self, Issue.self])

        struct Build: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Build the lot of a month's settled, lot-grade reductions not yet in a lot.")
            @Argument(help: "The month, like 2026-03.") var month: String
            @Option(help: "The scheme.") var scheme = "city"
            @OptionGroup var workspace: WorkspaceOptions

            func run() throws {
                do {
                    let lot = try InclusionLots(try workspace.open()).build(scheme: scheme, month: month, by: workspace.who)
                    print("lot \(lot.id): \(lot.credits) credits, \(lot.grams) g, \(lot.tonnes) whole t")
                } catch { throw InclusionCommand.refused(error) }
            }
        }

        struct Issue: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Issue a lot's whole tonnes into a registry account (once).")
            @Argument var id: String
            @Option(help: "The registry account.") var account: String
            @OptionGroup var workspace: WorkspaceOptions

            func run() throws {
                do {
                    let entry = try InclusionLots(try workspace.open()).issue(id, into: account, by: workspace.who)
                    print("issued \(entry.amount) \(entry.blocks.first?.unit ?? "") into \(account): \(entry.blocks.map(\.description).joined(separator: ", "))")
                } catch { throw RegistryCommand.refused(InclusionCommand.refused(error)) }
            }
        }
    }

    struct Reconcile: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Re-walk the points ledger: every hash and link, every balance against its movements.")
        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let result = try InclusionReads(try workspace.open()).reconcile()
            if let broken = result.brokenAt { throw CLIFailure.input("the ledger's chain breaks at entry \(broken)") }
            if !result.mismatched.isEmpty { throw CLIFailure.input("balances differ from their movements for \(result.mismatched.count) accounts") }
            print("\(result.entries) ledger lines verified; every balance equals its movements")
        }
    }
}
