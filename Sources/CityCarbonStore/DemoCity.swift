import CarbonAccounting
import CarbonKit
import ClimatePlans
import Foundation

/// The fictional demo city shipped with CityCarbon: eight districts with their boundaries,
/// population and GDP by year, and a plausible activity dataset across the GPC sectors for
/// the base year 2015 and 2018–2023 (grid factors from the official series where they exist,
/// a stated provincial factor before).
public enum DemoCity {
    public static let files = ["jurisdictions.csv", "activities.csv", "statistics.csv", "districts.geojson", "helsinki-plan.csv", "hangzhou-indicators.csv",
                               "targets.csv", "pilot-goals.csv", "pilots.csv", "assessment-scheme.csv", "assessment-2023-scores.csv",
                               "action-estimates.csv", "action-air.csv"] + pathwayFiles
    /// The demo's pathway scenarios: the demo city's three, and Xiong'an's study reproduced.
    public static let pathwayFiles = ["pathway-demo-baseline.json", "pathway-demo-planned.json", "pathway-demo-ambitious.json", "pathway-xiongan-2035.json"]

    /// The demo data file `name`, as shipped.
    public static func data(_ name: String) throws -> [UInt8] {
        let file = name as NSString
        guard let url = Bundle.module.url(forResource: file.deletingPathExtension, withExtension: file.pathExtension, subdirectory: "Resources/demo")
                ?? Bundle.module.resourceURL?.appendingPathComponent("Resources/demo/\(name)"),
              let data = FileManager.default.contents(atPath: url.path) else {
            throw InputErrors([InputIssue(InputLocation(file: name), reason: "demo data file is missing from the store's resources")])
        }
        return [UInt8](data)
    }

    /// Loads the demo city into an empty workspace: its jurisdictions, its activity data, the
    /// inventory of every year (AR5), each published, its population and GDP (published), Helsinki's Carbon Neutral 2035 plan as
    /// its climate plan, Hangzhou's indicator set as its indicator catalogue (published), its targets shared out to
    /// districts and sectors by base-year emissions, a pilot registry against Hangzhou's pilot
    /// goals, its 2023 district assessment, frozen and published, its pathway scenarios (published), and its metered sites with four weeks of readings up to now. Returns false, changing nothing, when the workspace already has
    /// activity data.
    ///
    /// `inclusion` adds residents' carbon inclusion (``DemoInclusion``: a few thousand events
    /// through the real intake, about two seconds in a debug build); `citycarbon init --demo` and
    /// `serve --demo` ask for it, and the many tests that start from the demo do not. `air` adds
    /// the air-quality network with three days of hours up to now (``DemoAir``).
    @discardableResult
    public static func seed(_ database: CityCarbonDatabase, by actor: String = "demo", today: Day = .today, inclusion: Bool = false,
                            air: Bool = false) throws -> Bool {
        guard try ActivityRepository(database).count() == 0 else { return false }
        try CitySettingsRepository(database).set([("name.en", "Demo City"), ("name.zh-Hans", "示范城市")], actor: actor)
        _ = try JurisdictionRepository(database).importCSV(try data("jurisdictions.csv"), file: "demo/jurisdictions.csv", actor: actor)
        try BoundaryRepository(database).importGeoJSON(try data("districts.geojson"), file: "demo/districts.geojson", actor: actor)
        try StatisticsRepository(database).importCSV(try data("statistics.csv"), file: "demo/statistics.csv", actor: actor)
        try StatisticsRepository(database).publish(by: actor)
        _ = try ActivityRepository(database).importCSV(try data("activities.csv"), file: "demo/activities.csv", actor: actor)
        let inventory = try InventoryRepository(database).compute(year: nil, gwp: GasCatalog.standard.gwpSet(CitySettingsRepository(database).current().gwp), actor: actor)
        for year in inventory.years { try PublicationRepository(database).publish(year: year, by: actor) }
        _ = try PlanRepository(database).importSheet(try data("helsinki-plan.csv"), file: "demo/helsinki-plan.csv", plan: "helsinki-2035",
                                                     name: Multilingual(["en": "Carbon Neutral Helsinki 2035 Action Plan", "zh-Hans": "赫尔辛基碳中和2035行动计划"]),
                                                     today: nil, actor: actor)
        _ = try PlanRepository(database).importSheet(try data("action-estimates.csv"), file: "demo/action-estimates.csv", plan: "helsinki-2035",
                                                     today: nil, actor: actor)
        _ = try PlanRepository(database).importSheet(try data("action-air.csv"), file: "demo/action-air.csv", plan: "helsinki-2035",
                                                     today: nil, actor: actor)
        _ = try PlanRepository(database).importSheet(try actionProgress(on: today), file: "demo/action-progress.csv", plan: "helsinki-2035",
                                                     today: nil, actor: actor)
        _ = try IndicatorRepository(database).importSheet(try data("hangzhou-indicators.csv"), file: "demo/hangzhou-indicators.csv", actor: actor)
        try IndicatorRepository(database).publish(by: actor)
        let targets = TargetRepository(database)
        _ = try targets.importSheet(try data("targets.csv"), file: "demo/targets.csv", actor: actor)
        try targets.allocate("peak-2030", dimension: .jurisdiction, method: .proportional, actor: actor)
        try targets.allocate("peak-2030", dimension: .sector, method: .proportional, actor: actor)
        let pilots = PilotRepository(database)
        try pilots.importGoals(try data("pilot-goals.csv"), file: "demo/pilot-goals.csv", actor: actor)
        try pilots.importSheet(try data("pilots.csv"), file: "demo/pilots.csv", actor: actor)
        let scheme = try AssessmentSheet.scheme(String(decoding: try data("assessment-scheme.csv"), as: UTF8.self), file: "demo/assessment-scheme.csv")
        let assessments = AssessmentRepository(database)
        try assessments.run(year: 2023, scheme: scheme, scores: try data("assessment-2023-scores.csv"), file: "demo/assessment-2023-scores.csv", actor: actor)
        try assessments.freeze(year: 2023, actor: actor)
        try assessments.publish(year: 2023, actor: actor)
        let pathways = PathwayRepository(database)
        for file in pathwayFiles {
            let scenario = try pathways.save(try data(file), file: "demo/\(file)", actor: actor)
            try pathways.setPublished(scenario.identifier, true, actor: actor)
        }
        try DemoMonitoring.seed(database, by: actor)
        try DemoRegistry.seed(database)
        try DemoEnterprises.seed(database)
        if inclusion { try DemoInclusion.seed(database, by: actor) }
        if air { try DemoAir.seed(database, by: actor) }
        return true
    }

    /// The plan's progress as a plan sheet: `action-progress.csv` gives its dates as days before
    /// or after the day the demo is loaded, so that some actions are late and some stale on
    /// whatever day it is loaded, as in a city at work.
    static func actionProgress(on today: Day) throws -> [UInt8] {
        let table = try ReferenceTable(name: "demo/action-progress.csv", text: String(decoding: try data("action-progress.csv"), as: UTF8.self))
        func day(_ offset: String) -> String { Int(offset).map { today.adding(days: $0).description } ?? "" }
        var sheet = "kind,identifier,status,organisation,start_date,end_date,updated_on\n"
        for row in table.rows {
            sheet += ["action", row["identifier"], row["status"], row["organisation"], day(row["start_days"]), day(row["end_days"]), day(row["updated_days"])]
                .joined(separator: ",") + "\n"
        }
        return Array(sheet.utf8)
    }

    /// The demo's staff: an admin, and an editor for the first district. Created only in a
    /// workspace without an admin (the demo's verifier aside, no one has signed up); the
    /// passwords are random and returned to be shown once.
    public static func seedAccounts(_ database: CityCarbonDatabase, passwordCost: UInt8 = 12, by actor: String = "demo") throws -> [(username: String, role: Role, password: String)] {
        let accounts = AccountRepository(database, passwordCost: passwordCost)
        guard try !accounts.all().contains(where: { $0.role == .admin || $0.username == "editor" }) else { return [] }
        let tree = try JurisdictionRepository(database).tree()
        guard let city = tree.roots.first, let district = tree.children(of: city).first else { return [] }
        let made: [(String, Role, String?, [String])] = [("admin", .admin, nil, []), ("editor", .editor, "\(district) district office", [district])]
        return try made.map { name, role, organisation, jurisdictions in
            let password = String(Secret.make().prefix(16))
            try accounts.create(username: name, displayName: nil, password: password, role: role, organisation: organisation,
                                jurisdictions: jurisdictions, actor: actor)
            return (name, role, password)
        }
    }
}
