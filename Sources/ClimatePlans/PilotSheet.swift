import CarbonKit

/// A pilot registry as a spreadsheet of lifecycle steps, oldest first: `identifier`, `stage`,
/// `date`, optional `score` and `note`. A pilot's `applied` row also carries `name_<language>`…,
/// `kind` and `jurisdiction`. Loading the sheet again adds only the steps not yet recorded.
public enum PilotSheet {
    /// `existing` pilots after the sheet's steps, and the identifiers added or moved on.
    public static func apply(_ text: String, file: String, to existing: [Pilot], jurisdictions: Set<String>) throws(InputErrors) -> (pilots: [Pilot], changed: [String]) {
        let table = try ReferenceTable(name: file, text: text)
        try table.require(["identifier", "stage", "date"])
        var issues: [InputIssue] = []
        var pilots = existing
        var index = Dictionary(uniqueKeysWithValues: existing.enumerated().map { ($1.identifier, $0) })
        var changed: [String] = []
        for row in table.rows {
            do throws(InputIssue) {
                let identifier = try row.required("identifier")
                guard let stage = Pilot.Stage(rawValue: row["stage"]) else {
                    throw InputIssue(row.location("stage"), value: row["stage"], reason: "is not a stage",
                                     suggestion: Suggestion.didYouMean(row["stage"], among: Pilot.Stage.allCases.map(\.rawValue)) ?? Pilot.Stage.allCases.map(\.rawValue).joined(separator: ", "))
                }
                guard let day = Day(row["date"]) else { throw InputIssue(row.location("date"), value: row["date"], reason: "is not a date", suggestion: "YYYY-MM-DD") }
                let score = try row.optionalDouble("score")
                let note = row["note"].isEmpty ? nil : row["note"]
                if let i = index[identifier] {
                    if pilots[i].history.contains(where: { $0.stage == stage && $0.on == day }) { continue }
                    do { try pilots[i].advance(to: stage, on: day, note: note, score: score) } catch {
                        throw InputIssue(row.location(error.issues[0].location.field ?? "stage"), value: error.issues[0].value,
                                         reason: "\(identifier): \(error.issues[0].reason)", suggestion: error.issues[0].suggestion)
                    }
                } else {
                    guard stage == .applied else {
                        throw InputIssue(row.location("stage"), value: row["stage"], reason: "\(identifier) is a new pilot: its first step is applied")
                    }
                    var name = Multilingual()
                    for column in table.columns where column.hasPrefix("name_") { name[PlanSheet.language(String(column.dropFirst(5)))] = row[column] }
                    guard !name.isEmpty else { throw InputIssue(row.location("name_en"), value: identifier, reason: "a new pilot needs a name") }
                    guard let kind = Pilot.Kind(rawValue: row["kind"]) else {
                        throw InputIssue(row.location("kind"), value: row["kind"], reason: "is not a kind of pilot",
                                         suggestion: Pilot.Kind.allCases.map(\.rawValue).joined(separator: ", "))
                    }
                    let jurisdiction = try row.required("jurisdiction")
                    guard jurisdictions.contains(jurisdiction) else {
                        throw InputIssue(row.location("jurisdiction"), value: jurisdiction, reason: "is not a jurisdiction of the workspace",
                                         suggestion: Suggestion.didYouMean(jurisdiction, among: jurisdictions))
                    }
                    index[identifier] = pilots.count
                    pilots.append(Pilot(identifier: identifier, name: name, kind: kind, jurisdiction: jurisdiction, appliedOn: day))
                    if let note { pilots[pilots.count - 1].notes = note }
                }
                if !changed.contains(identifier) { changed.append(identifier) }
            } catch {
                issues.append(error)
            }
        }
        if !issues.isEmpty { throw InputErrors(issues) }
        return (pilots, changed)
    }

    /// Pilot goals: `kind`, `minimum`, optional `maximum` and `source`.
    public static func goals(_ text: String, file: String) throws(InputErrors) -> [(goal: PilotGoal, source: String?)] {
        let table = try ReferenceTable(name: file, text: text)
        var issues: [InputIssue] = []
        var goals: [(PilotGoal, String?)] = []
        for row in table.rows {
            do throws(InputIssue) {
                guard let kind = Pilot.Kind(rawValue: row["kind"]) else {
                    throw InputIssue(row.location("kind"), value: row["kind"], reason: "is not a kind of pilot", suggestion: Pilot.Kind.allCases.map(\.rawValue).joined(separator: ", "))
                }
                let minimum = try row.double("minimum"), maximum = try row.optionalDouble("maximum")
                guard (0...1_000_000).contains(minimum), minimum == minimum.rounded(),
                      maximum.map({ $0 >= minimum && $0 <= 1_000_000 && $0 == $0.rounded() }) ?? true else {
                    throw InputIssue(row.location("maximum"), value: row["maximum"],
                                     reason: "goals are whole numbers from 0 to 1,000,000 with the maximum at or above the minimum")
                }
                goals.append((PilotGoal(kind: kind, minimum: Int(minimum), maximum: maximum.map { Int($0) }), row["source"].isEmpty ? nil : row["source"]))
            } catch {
                issues.append(error)
            }
        }
        if !issues.isEmpty { throw InputErrors(issues) }
        return goals
    }
}
