import CarbonKit

extension PlanAction {
    /// The rules an action must keep within its plan, whoever wrote it (a form, an API
    /// client): every problem is named by field, so an editor fixes them in one pass.
    /// - Parameters:
    ///   - actions: the plan's other actions, for dependencies and merges.
    ///   - indicators: identifiers of the indicator catalogue, for links; nil skips the check.
    public func validate(in plan: Plan, actions: [PlanAction], indicators: Set<String>? = nil) throws(InputErrors) {
        var issues: [InputIssue] = []
        func issue(_ field: String, _ value: String?, _ reason: String, _ suggestion: String? = nil) {
            issues.append(InputIssue(InputLocation(field: field), value: value, reason: reason, suggestion: suggestion))
        }
        if name.isEmpty { issue("name", nil, "an action needs a name in at least one language") }
        let categoryIDs = Set(plan.categoryTypes.flatMap { $0.categories.map(\.identifier) })
        for category in categories where !categoryIDs.contains(category) {
            issue("categories", category, "is not a category of the plan", Suggestion.didYouMean(category, among: categoryIDs))
        }
        let others = Set(actions.map(\.identifier)).subtracting([identifier])
        for dependency in dependsOn {
            if dependency == identifier { issue("depends_on", dependency, "an action cannot depend on itself") }
            else if !others.contains(dependency) { issue("depends_on", dependency, "is not an action of the plan", Suggestion.didYouMean(dependency, among: others)) }
        }
        switch (status, mergedInto) {
        case (.merged, nil): issue("merged_into", nil, "a merged action must name the action it was merged into")
        case (.merged, let target?) where !others.contains(target): issue("merged_into", target, "is not an action of the plan")
        case (let s, _?) where s != .merged: issue("merged_into", mergedInto, "only a merged action names one", "set the status to merged, or clear this field")
        default: break
        }
        if let start = startDate, let end = endDate, end < start { issue("end_date", end.description, "is before the start date \(start)") }
        if responsibleParties.filter({ $0.role == .primary }).count > 1 { issue("responsible", nil, "an action has one primary responsible organisation") }
        for party in responsibleParties where party.organisation.allSatisfy(\.isWhitespace) { issue("responsible", nil, "an organisation has no name") }
        if Set(responsibleParties.map(\.organisation)).count != responsibleParties.count { issue("responsible", nil, "an organisation is named twice") }
        for contact in contacts {
            if contact.name.allSatisfy(\.isWhitespace) { issue("contacts", contact.email, "a contact needs a name") }
            if let email = contact.email, !Self.looksLikeEmail(email) { issue("contacts", email, "is not an e-mail address", "name@example.org") }
        }
        for (i, task) in tasks.enumerated() {
            if task.name.isEmpty { issue("tasks[\(i + 1)].name", nil, "a task needs a name") }
            if let done = task.completedOn, let start = startDate, done < start {
                issue("tasks[\(i + 1)].completed", done.description, "is before the action's start \(start)")
            }
        }
        for (i, cost) in costs.enumerated() {
            if !(cost.amount >= 0) || !cost.amount.isFinite { issue("costs[\(i + 1)].amount", String(cost.amount), "must be zero or more") }
            if cost.amount > Self.largestCost {
                issue("costs[\(i + 1)].amount", String(cost.amount), "is more than any one action can cost", "at most \(Int64(Self.largestCost))")
            }
            if !Self.years.contains(cost.year) { issue("costs[\(i + 1)].year", String(cost.year), "is not a year of a plan", "\(Self.years.lowerBound)–\(Self.years.upperBound)") }
            if !Self.isCurrencyCode(cost.currency) { issue("costs[\(i + 1)].currency", cost.currency, "is not an ISO 4217 currency code", "EUR, CNY, USD …") }
        }
        if Set(costs.map { "\($0.year)|\($0.kind)" }).count != costs.count { issue("costs", nil, "a year has two costs of the same kind") }
        for (i, reduction) in reductions.enumerated() {
            if !reduction.tonnesCO2e.isFinite {
                issue("reductions[\(i + 1)].t_co2e", String(reduction.tonnesCO2e), "is not a number of tonnes")
            } else if abs(reduction.tonnesCO2e) > Self.largestReduction {
                issue("reductions[\(i + 1)].t_co2e", String(reduction.tonnesCO2e), "is more than a city emits in a year",
                      "at most \(Int64(Self.largestReduction)) t CO2e")
            }
            if !Self.years.contains(reduction.year) {
                issue("reductions[\(i + 1)].year", String(reduction.year), "is not a year of a plan", "\(Self.years.lowerBound)–\(Self.years.upperBound)")
            }
        }
        if Set(reductions.map(\.year)).count != reductions.count { issue("reductions", nil, "a year has two expected reductions") }
        for link in self.indicators {
            if let known = indicators, !known.contains(link.indicator) {
                issue("indicators", link.indicator, "is not in the indicator catalogue", Suggestion.didYouMean(link.indicator, among: known))
            }
        }
        if !issues.isEmpty { throw InputErrors(issues) }
    }

    static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !text.contains(where: \.isWhitespace)
    }

    /// A plan action's expected reduction in one year can be at most what the largest cities
    /// emit in a year (about 2.5 × 10^8 t CO2e); anything larger is a typing error, not a plan.
    static let largestReduction = 1e9
    /// A plan action's cost in one year: a trillion (10^12) of any currency is already beyond
    /// any city's budget, so more is refused as a typing error (1e308 would pass every sum).
    static let largestCost = 1e12
    /// The years a plan's costs and reductions may fall in.
    static let years = 1900...2200

    static func isCurrencyCode(_ text: String) -> Bool {
        text.count == 3 && text.allSatisfy { $0.isASCII && $0.isUppercase }
    }
}
