import CarbonKit
import Testing
@testable import CarbonInclusion

/// The fraud screen, one rule at a time, with the reference's worked examples.
@Suite struct CreditScreeningTests {
    let catalogue = MethodologyCatalogue.shipped
    /// 2026-03-10 08:00 in Asia/Shanghai.
    let morning: Int64 = Int64(Day("2026-03-10")!.ordinal - Day("1970-01-01")!.ordinal) * 86_400

    func screen(scheme: String = "city") -> CreditScreening { CreditScreening(scheme: catalogue.scheme(scheme)!) }

    func event(_ scenario: String, _ name: String, _ value: String, unit: String, serial: String = "s1", account: String = "did:a",
               partner: String = "amap", minutes: Int64? = nil, at start: Int64? = nil, evidence: String = "operator",
               navigation: Bool? = true, device: String? = nil, conditions: [String] = []) -> BehaviourEvent {
        let begin = start ?? morning
        return BehaviourEvent(partner: partner, serial: serial, scheme: "city", account: account, scenario: scenario, startedAt: begin,
                              endedAt: minutes.map { begin + $0 * 60 }, device: device, evidence: evidence, navigation: navigation,
                              conditions: conditions, activity: [ActivityDatum(name: name, unit: unit, value: Micro(value)!)])
    }

    @Test func hubeiStepsAreCreditedAsPointsOneToOne() {
        var screening = screen()
        let outcome = screening.screen(event("walk", "steps", "7250", unit: "step"), now: morning + 3600)
        #expect(outcome.decision == .credited && outcome.grams == Micro("145") && outcome.points == 145)
        #expect(outcome.methodology == "walk@hubei-2022" && outcome.day == Day("2026-03-10"))
    }

    @Test func antForestWalkingIsCappedAtTwoHundredNinetySixADay() {
        var screening = CreditScreening(scheme: catalogue.scheme("antforest")!)
        let outcome = screening.screen(event("walk", "steps", "20000", unit: "step"), now: morning + 3600)
        #expect(outcome.decision == .capped && outcome.grams == Micro("296") && outcome.points == 296 && outcome.rule == "daily_cap")
        let more = screening.screen(event("walk", "steps", "100", unit: "step", serial: "s2"), now: morning + 7200)
        #expect(more.decision == .refused && more.rule == "day_total")
    }

    @Test func theCapCountsPerLocalDay() {
        var screening = CreditScreening(scheme: catalogue.scheme("antforest")!)
        _ = screening.screen(event("walk", "steps", "20000", unit: "step"), now: morning + 3600)
        let tomorrow = screening.screen(event("walk", "steps", "10000", unit: "step", serial: "s2", at: morning + 86_400), now: morning + 90_000)
        #expect(tomorrow.decision == .credited && tomorrow.grams == Micro("200"))
    }

    @Test func shenzhenBusAndMetroTripsInMetres() {
        var screening = screen()
        let bus = screening.screen(event("bus", "distance", "10000", unit: "m", minutes: 30), now: morning + 7200)
        let metro = screening.screen(event("metro", "distance", "10", unit: "km", serial: "s2", minutes: 20, at: morning + 3600), now: morning + 7200)
        #expect(bus.grams == Micro("269") && metro.grams == Micro("467"))
    }

    @Test func aFortyKilometreAnHourWalkIsRefused() {
        var screening = screen()
        let outcome = screening.screen(event("walk-trip", "distance", "10", unit: "km", minutes: 15), now: morning + 3600)
        #expect(outcome.decision == .refused && outcome.rule == "speed")
        #expect(outcome.reason == "walking at 40 km/h is faster than the plausible 8 km/h")
    }

    @Test func aTripWithoutTimesCannotBeCheckedForSpeed() {
        var screening = screen()
        #expect(screening.screen(event("cycle", "distance", "5", unit: "km"), now: morning + 3600).rule == "duration")
    }

    @Test func walkingAndCyclingCountOnlyWithNavigationOn() {
        var screening = screen()
        let outcome = screening.screen(event("cycle", "distance", "5", unit: "km", minutes: 20, navigation: false), now: morning + 3600)
        #expect(outcome.decision == .refused && outcome.rule == "navigation")
    }

    @Test func theSameTripFromTwoPartnersIsCreditedOnce() {
        var screening = screen()
        let first = screening.screen(event("metro", "distance", "10", unit: "km", partner: "amap", minutes: 20), now: morning + 3600)
        let second = screening.screen(event("metro", "distance", "10", unit: "km", serial: "b-77", partner: "baidu", minutes: 20), now: morning + 3700)
        #expect(first.decision == .credited && second.decision == .refused && second.rule == "duplicate")
        // The other partner's serial is not the resident's business.
        #expect(second.reason == "the same trip was already credited from another partner")
    }

    @Test func aDaysStepsAreCreditedOnceADay() {
        var screening = screen()
        let first = screening.screen(event("walk", "steps", "7250", unit: "step"), now: morning + 3600)
        let second = screening.screen(event("walk", "steps", "7250", unit: "step", serial: "s2"), now: morning + 3600)
        #expect(first.decision == .credited && second.rule == "day_total")
        #expect(second.reason == "steps are the day's total: walking on 2026-03-10 is credited already")
    }

    @Test func aWalkingTripBesideTheDaysStepsIsRefused() {
        var screening = screen()
        _ = screening.screen(event("walk", "steps", "20000", unit: "step"), now: morning + 7200)
        let trip = screening.screen(event("walk-trip", "distance", "3", unit: "km", serial: "t1", minutes: 40, at: morning + 600), now: morning + 7200)
        #expect(trip.rule == "day_total")
    }

    @Test func theSameTripFromOneDeviceUnderTwoAccountsIsCreditedOnce() {
        var screening = screen()
        let first = screening.screen(event("metro", "distance", "10", unit: "km", account: "did:a", minutes: 20, device: "phone-1"), now: morning + 3600)
        let second = screening.screen(event("metro", "distance", "10", unit: "km", serial: "s2", account: "did:A", partner: "baidu", minutes: 20,
                                            device: "phone-1"), now: morning + 3600)
        #expect(first.decision == .credited && second.rule == "duplicate")
    }

    @Test func twoTripsAtOnceAreRefusedAsOverlapping() {
        var screening = screen()
        _ = screening.screen(event("metro", "distance", "10", unit: "km", minutes: 30), now: morning + 3600)
        let bus = screening.screen(event("bus", "distance", "5", unit: "km", serial: "s2", minutes: 20, at: morning + 600), now: morning + 3600)
        #expect(bus.rule == "overlap")
    }

    @Test func backToBackTripsDoNotOverlap() {
        var screening = screen()
        _ = screening.screen(event("metro", "distance", "10", unit: "km", minutes: 30), now: morning + 7200)
        let bus = screening.screen(event("bus", "distance", "5", unit: "km", serial: "s2", minutes: 20, at: morning + 1800), now: morning + 7200)
        #expect(bus.decision == .credited)
    }

    @Test func aSelfCheckInEarnsHalfTheScreenshotsPoints() {
        var screening = screen()
        let shot = screening.screen(event("bus-ride", "trips", "1", unit: "trip", evidence: "screenshot"), now: morning + 3600)
        let own = screening.screen(event("bus-ride", "trips", "1", unit: "trip", serial: "s2", evidence: "self_check_in"), now: morning + 3600)
        #expect(shot.points == 105 && own.points == 52)
        #expect(shot.grams == own.grams)
    }

    @Test func unacceptedEvidenceIsRefused() {
        var screening = screen()
        #expect(screening.screen(event("walk", "steps", "100", unit: "step", evidence: "hearsay"), now: morning).rule == "evidence")
    }

    @Test func anImplausibleAmountIsRefusedNotCapped() {
        var screening = screen()
        #expect(screening.screen(event("walk", "steps", "1000000", unit: "step"), now: morning + 60).rule == "implausible")
        #expect(screening.screen(event("walk", "steps", "0", unit: "step", serial: "s2"), now: morning + 60).rule == "implausible")
    }

    @Test func anActivityInTheWrongUnitIsRefused() {
        var screening = screen()
        let outcome = screening.screen(event("metro", "distance", "10", unit: "kWh", minutes: 20), now: morning + 3600)
        #expect(outcome.rule == "activity" && outcome.reason == "distance is in kWh; metro@shenzhen-2021 needs km")
    }

    @Test func anUnknownScenarioIsRefused() {
        var screening = screen()
        #expect(screening.screen(event("teleport", "distance", "1", unit: "km"), now: morning).rule == "scenario")
    }

    @Test func anActivityInTheFutureIsRefused() {
        var screening = screen()
        #expect(screening.screen(event("walk", "steps", "100", unit: "step", at: morning + 3600), now: morning).rule == "future")
    }

    @Test func anActivityPostedAfterItsLastClaimDayIsRefusedAsStale() {
        var screening = screen()
        // Metro: issued D+2, claimable to D+9; posted on D+10.
        let late = screening.screen(event("metro", "distance", "10", unit: "km", minutes: 20), now: morning + 10 * 86_400)
        #expect(late.rule == "stale")
    }

    @Test func transitIsIssuedTwoDaysLaterAndClaimableForSeven() {
        var screening = screen()
        let outcome = screening.screen(event("metro", "distance", "10", unit: "km", minutes: 20), now: morning + 3600)
        #expect(outcome.claimableFrom == Day("2026-03-12") && outcome.claimableUntil == Day("2026-03-19"))
        let walk = screening.screen(event("walk", "steps", "100", unit: "step", serial: "s2"), now: morning + 3600)
        #expect(walk.claimableFrom == nil)
    }

    @Test func anAccountPostingTooFastIsHeldForReview() {
        var screening = screen()
        var outcomes: [ScreeningOutcome] = []
        for index in 0..<61 {
            outcomes.append(screening.screen(event("parcel-box", "boxes", "1", unit: "box", serial: "p\(index)"), now: morning + Int64(index)))
        }
        #expect(outcomes.prefix(60).allSatisfy { $0.decision != .held })
        #expect(outcomes[60].decision == .held && outcomes[60].rule == "account_velocity")
    }

    @Test func oneDevicePostingForManyAccountsIsHeld() {
        var screening = screen()
        let outcomes = (0..<4).map { index in
            screening.screen(event("parcel-box", "boxes", "1", unit: "box", serial: "d\(index)", account: "did:\(index)", device: "phone-1"),
                             now: morning + 60)
        }
        #expect(outcomes.map(\.decision) == [.credited, .credited, .credited, .held])
        #expect(outcomes[3].rule == "device_accounts")
    }

    @Test func theSchemesDailyCapCoversAllBehaviours() {
        var screening = screen()
        // Three clean plates a post earn 1,347 g; fourteen earn 18,858 g of the scheme's 20,000 g a day.
        let outcomes = (0..<16).map { index in
            screening.screen(event("clean-plate", "meals", "3", unit: "meal", serial: "m\(index)"), now: morning + 60)
        }
        #expect(outcomes.prefix(14).allSatisfy { $0.decision == .credited })
        #expect(outcomes[14].decision == .capped && outcomes[14].grams == Micro("1142") && outcomes[14].rule == "scheme_daily_cap")
        #expect(outcomes[15].decision == .refused && outcomes[15].rule == "scheme_daily_cap")
    }

    @Test func aMethodologysOwnDailyCapHoldsBeforeTheSchemes() {
        var screening = screen()
        let first = screening.screen(event("car-free-day", "distance", "22", unit: "km"), now: morning + 60)
        let second = screening.screen(event("car-free-day", "distance", "22", unit: "km", serial: "s2"), now: morning + 60)
        #expect(first.grams == Micro("4630") && second.rule == "daily_cap")
    }

    @Test func householdsOnTheThirdTariffTierAreExcluded() {
        var screening = screen()
        let outcome = screening.screen(event("household-electricity", "electricity", "2", unit: "kWh", evidence: "meter",
                                             conditions: ["tariff_tier_3"]), now: morning + 3600)
        #expect(outcome.rule == "excluded")
    }

    @Test func aRefusedEventLeavesNoTrace() {
        var screening = screen()
        _ = screening.screen(event("metro", "distance", "10", unit: "km", minutes: 20, evidence: "hearsay"), now: morning + 3600)
        #expect(screening.screen(event("metro", "distance", "10", unit: "km", serial: "s2", minutes: 20), now: morning + 3600).decision == .credited)
    }

    @Test func pruningKeepsWhatTheRulesStillNeed() {
        var screening = screen()
        for index in 0..<60 {
            _ = screening.screen(event("parcel-box", "boxes", "1", unit: "box", serial: "p\(index)"), now: morning + Int64(index))
        }
        _ = screening.screen(event("metro", "distance", "10", unit: "km", serial: "m1", minutes: 20), now: morning + 3600)
        screening.prune(now: morning + 7300)
        // Two hours on, the account may post again, and today's trip still catches its duplicate.
        let box = screening.screen(event("parcel-box", "boxes", "1", unit: "box", serial: "p-late"), now: morning + 7300)
        let again = screening.screen(event("metro", "distance", "10", unit: "km", serial: "m2", partner: "baidu", minutes: 20), now: morning + 7300)
        #expect(box.decision == .credited && again.rule == "duplicate")
    }

    @Test func memoryRebuiltFromStoredCreditsScreensLikeTheOriginal() {
        var original = screen()
        let trip = event("metro", "distance", "10", unit: "km", minutes: 20)
        let outcome = original.screen(trip, now: morning + 3600)
        var rebuilt = screen()
        rebuilt.remember(trip, outcome: outcome, now: morning + 3600)
        let again = event("metro", "distance", "10", unit: "km", serial: "x", partner: "baidu", minutes: 20)
        #expect(rebuilt.screen(again, now: morning + 3700).rule == "duplicate")
    }
}
