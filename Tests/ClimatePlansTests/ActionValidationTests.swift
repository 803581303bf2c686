import CarbonKit
import Testing
@testable import ClimatePlans

@Suite("Action rules within a plan")
struct ActionValidationTests {
    let plan = Plan(identifier: "p", name: Multilingual(["en": "Plan"]),
                    categoryTypes: [CategoryType(identifier: "area", name: Multilingual(["en": "Area"]), categories: [Category(identifier: "A1", name: Multilingual(["en": "Transport"]))])])
    let others = [PlanAction(identifier: "1", name: Multilingual(["en": "One"])), PlanAction(identifier: "2", name: Multilingual(["en": "Two"]))]

    func fields(_ action: PlanAction, indicators: Set<String>? = nil) -> Set<String> {
        do {
            try action.validate(in: plan, actions: others + [action], indicators: indicators)
            return []
        } catch {
            return Set(error.issues.compactMap(\.location.field))
        }
    }

    @Test("A complete action passes")
    func valid() {
        let action = PlanAction(identifier: "3", name: Multilingual(["en": "Three"]), categories: ["A1"],
                                responsibleParties: [ResponsibleParty(organisation: "HSL", role: .primary), ResponsibleParty(organisation: "HSY", role: .collaborator)],
                                contacts: [ContactPerson(name: "Aino", email: "aino@example.org")], status: .inProgress,
                                startDate: Day("2025-01-01"), endDate: Day("2030-12-31"),
                                costs: [CostEntry(year: 2026, kind: .capital, amount: 1_250_000, currency: "EUR")], dependsOn: ["1"])
        #expect(fields(action).isEmpty)
    }

    @Test("A merged action names an existing action it was merged into; only merged ones name one")
    func merges() {
        #expect(fields(PlanAction(identifier: "3", name: Multilingual(["en": "x"]), status: .merged)) == ["merged_into"])
        #expect(fields(PlanAction(identifier: "3", name: Multilingual(["en": "x"]), status: .merged, mergedInto: "7")) == ["merged_into"])
        #expect(fields(PlanAction(identifier: "3", name: Multilingual(["en": "x"]), status: .merged, mergedInto: "2")).isEmpty)
        #expect(fields(PlanAction(identifier: "3", name: Multilingual(["en": "x"]), status: .inProgress, mergedInto: "2")) == ["merged_into"])
    }

    @Test("Dependencies must be other actions of the plan; dates, owners, contacts, money and indicators are checked")
    func everyField() {
        let action = PlanAction(identifier: "3", name: Multilingual(), categories: ["A9"],
                                responsibleParties: [ResponsibleParty(organisation: "HSL", role: .primary), ResponsibleParty(organisation: "HSY", role: .primary)],
                                contacts: [ContactPerson(name: "Aino", email: "aino at example")], startDate: Day("2030-01-01"), endDate: Day("2025-01-01"),
                                costs: [CostEntry(year: 2026, kind: .capital, amount: 1, currency: "EUR"), CostEntry(year: 2026, kind: .capital, amount: 2, currency: "EUR")],
                                indicators: [IndicatorLink(indicator: "bus_share", effect: .increases)], dependsOn: ["3", "9"])
        #expect(fields(action, indicators: ["forest_stock"]) == ["name", "categories", "depends_on", "end_date", "responsible", "contacts", "costs", "indicators"])
    }
}
