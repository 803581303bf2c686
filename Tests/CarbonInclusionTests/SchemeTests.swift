import CarbonKit
import Testing
@testable import CarbonInclusion

@Suite struct SchemeTests {
    let city = MethodologyCatalogue.shipped.scheme("city")!

    @Test func pointsAreGramsWeightedByEvidence() {
        // Hubei: a bus ride is 105 points with a screenshot and 52 with a self check-in.
        #expect(city.points(for: Micro("105")!, evidence: "screenshot") == 105)
        #expect(city.points(for: Micro("105")!, evidence: "self_check_in") == 52)
        #expect(city.points(for: Micro("274")!, evidence: "self_check_in") == 137)
    }

    @Test func evidenceTheSchemeDoesNotListEarnsNothing() {
        #expect(city.points(for: Micro("105")!, evidence: "rumour") == nil)
    }

    @Test func pointsAreWholeAndNeverRoundedUp() {
        #expect(city.points(for: Micro("61.999999")!, evidence: "operator") == 61)
    }

    @Test func householdBelowTheCityBaselineSavesTheDifference() {
        let rules = MethodologyCatalogue.shipped.methodology("household-electricity@shenzhen-2022")!.household!
        let saving = HouseholdElectricity.saving(use: Micro("6")!, cityBaseline: Micro("8")!, ownHistory: [], rules: rules)
        #expect(saving.kWh == Micro("2") && saving.baseline == "city")
    }

    @Test func householdAboveTheCityBaselineIsComparedWithItsOwnWeek() {
        let rules = MethodologyCatalogue.shipped.methodology("household-electricity@shenzhen-2022")!.household!
        let week = ["11", "12", "10", "11", "13", "9", "11"].map { Micro($0)! }
        let saving = HouseholdElectricity.saving(use: Micro("10")!, cityBaseline: Micro("8")!, ownHistory: week, rules: rules)
        #expect(saving.kWh == Micro("1") && saving.baseline == "own_average")
        let more = HouseholdElectricity.saving(use: Micro("12")!, cityBaseline: Micro("8")!, ownHistory: week, rules: rules)
        #expect(more.kWh == .zero && more.baseline == nil)
    }

    @Test func fewerThanSevenDaysGiveNoOwnAverage() {
        let rules = MethodologyCatalogue.shipped.methodology("household-electricity@shenzhen-2022")!.household!
        let saving = HouseholdElectricity.saving(use: Micro("10")!, cityBaseline: Micro("8")!, ownHistory: [Micro("20")!], rules: rules)
        #expect(saving.kWh == .zero && saving.ownAverage == nil)
    }

    @Test func theCityBaselineIsHeldInTheSeasonalBand() {
        let rules = MethodologyCatalogue.shipped.methodology("household-electricity@shenzhen-2022")!.household!
        #expect(HouseholdElectricity.saving(use: Micro("1")!, cityBaseline: Micro("30")!, ownHistory: [], rules: rules).kWh == Micro("11"))
        #expect(HouseholdElectricity.saving(use: Micro("4")!, cityBaseline: Micro("2")!, ownHistory: [], rules: rules).kWh == Micro("1"))
    }

    @Test func householdSavingIsCreditedAtTheMethodologysFactor() {
        // Mean 8 kWh ≈ 2.5 kg: 2 kWh saved earn 625 g.
        #expect(MethodologyCatalogue.shipped.methodology("household-electricity@shenzhen-2022")!.reduction(for: Micro("2")!) == Micro("625"))
    }
}
