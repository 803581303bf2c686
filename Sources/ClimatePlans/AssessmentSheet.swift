import CarbonKit

/// The assessment's inputs as spreadsheets. A scheme: `component`, `name_<language>`…,
/// `weight`. Scores entered by the office: `jurisdiction`, `component`, `score` (0–100),
/// `evidence` (what the score rests on: a document, an inspection, a count).
public enum AssessmentSheet {
    public static func scheme(_ text: String, file: String, green: Double = 80, amber: Double = 60) throws(InputErrors) -> AssessmentScheme {
        let table = try ReferenceTable(name: file, text: text)
        try table.require(["component", "weight"])
        var issues: [InputIssue] = []
        var components: [AssessmentScheme.Component] = []
        for row in table.rows {
            do throws(InputIssue) {
                let identifier = try row.required("component")
                var name = Multilingual()
                for column in table.columns where column.hasPrefix("name_") { name[PlanSheet.language(String(column.dropFirst(5)))] = row[column] }
                let weight = try row.double("weight")
                guard weight > 0 else { throw InputIssue(row.location("weight"), value: row["weight"], reason: "must be more than zero") }
                components.append(AssessmentScheme.Component(identifier: identifier, name: name.isEmpty ? Multilingual(["en": identifier]) : name, weight: weight))
            } catch {
                issues.append(error)
            }
        }
        if !issues.isEmpty { throw InputErrors(issues) }
        let scheme = AssessmentScheme(components: components, green: green, amber: amber)
        do { try scheme.validate() } catch { throw InputErrors(error.issues.map { var i = $0; i.location.file = file; return i }) }
        return scheme
    }

    /// Scores by district; every component must be one of the scheme's, every district known.
    public static func scores(_ text: String, file: String, scheme: AssessmentScheme, districts: Set<String>) throws(InputErrors) -> [String: [ComponentScore]] {
        let table = try ReferenceTable(name: file, text: text)
        try table.require(["jurisdiction", "component", "score"])
        var issues: [InputIssue] = []
        let components = Set(scheme.components.map(\.identifier))
        var result: [String: [ComponentScore]] = [:]
        for row in table.rows {
            do throws(InputIssue) {
                let district = try row.required("jurisdiction")
                guard districts.contains(district) else {
                    throw InputIssue(row.location("jurisdiction"), value: district, reason: "is not a district being assessed", suggestion: Suggestion.didYouMean(district, among: districts))
                }
                let component = try row.required("component")
                guard components.contains(component) else {
                    throw InputIssue(row.location("component"), value: component, reason: "is not a component of the scheme", suggestion: Suggestion.didYouMean(component, among: components))
                }
                let score = try row.double("score")
                guard (0...100).contains(score) else { throw InputIssue(row.location("score"), value: row["score"], reason: "must be from 0 to 100") }
                guard !(result[district] ?? []).contains(where: { $0.component == component }) else {
                    throw InputIssue(row.location("component"), value: component, reason: "is scored twice for \(district)")
                }
                let evidence = row["evidence"].isEmpty ? [] : [row["evidence"]]
                guard !evidence.isEmpty else { throw InputIssue(row.location("evidence"), value: nil, reason: "a score needs the evidence it rests on") }
                result[district, default: []].append(ComponentScore(component: component, score: score, evidence: evidence))
            } catch {
                issues.append(error)
            }
        }
        if !issues.isEmpty { throw InputErrors(issues) }
        return result
    }
}
