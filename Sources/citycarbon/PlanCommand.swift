import ArgumentParser
import CarbonKit
import CityCarbonStore
import ClimatePlans
import Foundation

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Climate plans: their areas, actions and how each is progressing.",
        discussion: """
        A plan is kept as a spreadsheet (CSV) keyed by action identifier; importing it again
        updates the actions in place, column by column. The demo's Helsinki plan shows the layout:
          citycarbon plan import Sources/CityCarbonStore/Resources/demo/helsinki-plan.csv --plan helsinki-2035
          citycarbon plan actions --plan helsinki-2035 --late
        """,
        subcommands: [Import.self, List.self, Actions.self]
    )

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Load a plan spreadsheet: all rows or none.")

        @Argument(help: "The CSV: kind, identifier, parent, name_<language>…, and optionally status, phase, organisation, start_date, end_date, updated_on, capital_cost_<year>, operating_cost_<year>, currency, reduction_<year> (t CO2e), and the action's effect on the air: air_pollutant (pm25, no2, none), air_district, air_concentration_reduction (µg/m³) or air_emission_reduction (t PM2.5 a year), air_source.")
        var file: String

        @Option(help: "The plan's identifier (created if new).")
        var plan: String

        @Option(help: "The plan's name in English.")
        var nameEn: String?

        @Option(help: "The plan's name in Chinese.")
        var nameZh: String?

        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw CLIFailure.usage("cannot read \(file)") }
            var name: Multilingual?
            if nameEn != nil || nameZh != nil { name = Multilingual(["en": nameEn ?? "", "zh-Hans": nameZh ?? ""]) }
            let summary = try PlanRepository(try workspace.open()).importSheet([UInt8](data), file: (file as NSString).lastPathComponent, plan: plan,
                                                                               name: name, today: Day.today, actor: workspace.who)
            print("Plan \(summary.plan): \(summary.added.count) actions added, \(summary.updated.count) updated, \(summary.categories) categories.")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the plans.")

        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let repository = PlanRepository(try workspace.open())
            let plans = try repository.plans()
            if plans.isEmpty { print("No plans."); return }
            print(TextTable.render(header: ["Plan", "Name", "Actions"], rows: try plans.map {
                [$0.identifier, $0.name.text("en"), String(try repository.actions(plan: $0.identifier).count)]
            }, rightAligned: [2]))
        }
    }

    struct Actions: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A plan's actions with status, completion, timeliness and monitoring gaps.")

        @Option(help: "The plan's identifier.")
        var plan: String

        @Flag(help: "Only actions that are late.")
        var late = false

        @Flag(help: "Only active actions with monitoring gaps (no owner, contact, task ahead or indicator).")
        var gaps = false

        @Option(help: "en or zh-Hans.")
        var language = "en"

        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let repository = PlanRepository(try workspace.open())
            guard let found = try repository.plan(plan) else { throw CLIFailure.input("no plan named \(plan)") }
            let today = Day.today
            var rows: [[String]] = []
            for action in try repository.actions(plan: plan) {
                let progress = ActionProgress.of(action, on: today, settings: found.settings)
                let missing = MonitoringGap.of(action, on: today, settings: found.settings)
                if late && !progress.isLate { continue }
                if gaps && missing.isEmpty { continue }
                rows.append([action.identifier, String(action.name.text(language).prefix(60)), progress.effectiveStatus(of: action).rawValue,
                             progress.completion.map { "\(Int(($0 * 100).rounded())) %" } ?? "", progress.timeliness.rawValue,
                             missing.map(\.rawValue).joined(separator: " ")])
            }
            print(TextTable.render(header: ["#", "Action", "Status", "Done", "Updated", "Gaps"], rows: rows, rightAligned: [0, 3]))
        }
    }
}

struct IndicatorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "indicator",
        abstract: "The indicator catalogue: definitions, baselines, goals and where each stands.",
        subcommands: [Import.self, Values.self, List.self, Publish.self]
    )

    struct Values: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load measured values: all rows or none; a year already held is replaced.",
            discussion: "The values are a draft until published (citycarbon indicator publish).")

        @Argument(help: "The CSV: indicator, year, value, and optionally jurisdiction, dimension, source.")
        var file: String

        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let count = try IndicatorRepository(try workspace.open()).importValues(try readFile(file), file: (file as NSString).lastPathComponent, actor: workspace.who)
            print("Indicator values: \(count) loaded.")
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load an indicator sheet: all rows or none; values and goals merge by year.",
            discussion: "The sheet is a draft until published (citycarbon indicator publish).")

        @Argument(help: "The CSV: identifier, name_<language>…, unit, direction, kind, baseline_year, baseline, target_year, target, source, note.")
        var file: String

        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw CLIFailure.usage("cannot read \(file)") }
            let (added, updated) = try IndicatorRepository(try workspace.open()).importSheet([UInt8](data), file: (file as NSString).lastPathComponent,
                                                                                            actor: workspace.who)
            print("\(added.count) indicators added, \(updated.count) updated.")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the indicators with their latest value, goal and status.")

        @Option(help: "en or zh-Hans.")
        var language = "en"

        @Flag(help: "Show what the public sees, rather than the drafts.")
        var published = false

        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let entries = try IndicatorRepository(try workspace.open()).all(edition: published ? .published : .current)
            if entries.isEmpty { print("No indicators."); return }
            print(TextTable.render(header: ["Indicator", "Name", "Unit", "Latest", "Goal", "Status"], rows: entries.map { entry in
                let i = entry.indicator
                let goal = i.goals.last.map { g in g.value.map { "\($0) (\(g.year))" } ?? "pending (\(g.year))" } ?? ""
                return [i.identifier, String(i.name.text(language).prefix(40)), i.unit, i.values.last.map { "\($0.value) (\($0.year))" } ?? "",
                        goal, IndicatorAssessment.assess(i).status.rawValue]
            }, rightAligned: []))
        }
    }

    struct Publish: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish indicator drafts: the public pages and API then show them as they stand.")

        @Argument(help: "The indicators to publish (default: every one with unpublished changes).")
        var identifiers: [String] = []

        @Option(help: "Sign the audit chain's head after publishing with this key file (citycarbon audit key).")
        var auditKey: String?

        @OptionGroup var workspace: WorkspaceOptions

        func run() throws {
            let key = try auditKey.map(AuditKey.load)
            let published = try IndicatorRepository(try workspace.open()).publish(identifiers.isEmpty ? nil : identifiers, by: workspace.who, key: key)
            print(published.isEmpty ? "Nothing to publish: the public sees every indicator as it stands."
                  : "Published \(published.count) indicators: \(published.joined(separator: ", "))." + (key == nil ? "" : " The audit head is signed."))
        }
    }
}
