import CarbonKit
import Foundation
import Testing
@testable import CarbonMarkets

/// The registry's controls against the regulation they come from, and its clock.
@Suite("Registry rules and calendar")
struct RegistryRulesTests {
    static let brussels: RegistryCalendar = {
        var rules = RegistryRules.standard
        rules.registry_hours.time_zone = "Europe/Brussels"
        return rules.calendar
    }()

    static func date(_ text: String, zone: String = "Europe/Brussels") -> Date {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: zone)
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.date(from: text)!
    }

    @Test("The shipped rules are the regulation's: 2 authorised representatives, 4 working days, a 26-hour delay, 10:00–16:00")
    func publishedValues() {
        let rules = RegistryRules.standard
        #expect(rules.representatives.minimum_authorised == 2)
        #expect(rules.trusted_list_activation_business_days == 4)
        #expect(rules.delay_outside_trusted_list_hours == 26)
        #expect(rules.registry_hours.opens_hour == 10 && rules.registry_hours.closes_hour == 16)
        #expect(rules.registry_hours.weekdays == [2, 3, 4, 5, 6])
        #expect(rules.kind(.operatorHolding).outside_trusted_list == .refused)
        #expect(rules.kind(.trading).outside_trusted_list == .delayed)
        #expect(rules.kind(.retirement).final == true)
        #expect(rules.article_6_4_issuance.share_of_proceeds == 0.05 && rules.article_6_4_issuance.overall_mitigation == 0.02)
        #expect(rules.source.contains("2019/1122"))
    }

    @Test("A trusted-list entry approved on Saturday 12:00 starts Monday 10:00 and is active on Friday 10:00")
    func trustedListFromSaturday() {
        let active = Self.brussels.adding(workingDays: 4, to: Self.date("2026-01-10 12:00"))
        #expect(active == Self.date("2026-01-16 10:00"))
    }

    @Test("Approved on Tuesday 11:00, active the next Monday 11:00; a holiday adds a day")
    func trustedListMidweek() {
        #expect(Self.brussels.adding(workingDays: 4, to: Self.date("2026-01-13 11:00")) == Self.date("2026-01-19 11:00"))
        var withHoliday = Self.brussels
        withHoliday.holidays = [Day("2026-01-15")!]
        #expect(withHoliday.adding(workingDays: 4, to: Self.date("2026-01-13 11:00")) == Self.date("2026-01-20 11:00"))
    }

    @Test("A 26-hour delay from Monday 15:00 ends Tuesday 17:00, after closing, so the transfer runs Wednesday 10:00")
    func delay() {
        #expect(Self.brussels.delayed(hours: 26, from: Self.date("2026-01-12 15:00")) == Self.date("2026-01-14 10:00"))
        #expect(Self.brussels.delayed(hours: 26, from: Self.date("2026-01-12 11:00")) == Self.date("2026-01-13 13:00"))
        #expect(Self.brussels.delayed(hours: 26, from: Self.date("2026-01-09 20:00")) == Self.date("2026-01-13 12:00"),
                "Friday evening waits for Monday's opening")
    }

    @Test("Article 6.4: an issuance of 1,000 gives 50 to the share of proceeds, cancels 20, and leaves the holder 930")
    func article64() {
        let split = Article64Issuance(issued: 1000)
        #expect(split == Article64Issuance(issued: 1000) && split.shareOfProceeds == 50 && split.overallMitigation == 20 && split.holder == 930)
        let odd = Article64Issuance(issued: 33)
        #expect(odd.shareOfProceeds + odd.overallMitigation + odd.holder == 33)
    }
}
