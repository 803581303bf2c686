import CarbonInclusion
import CarbonKit
import Foundation

/// The demo city's carbon inclusion: three partners (a map app, the transit card and the city's
/// own app), a redemption catalogue, and residents' behaviour in 2023 (beside the published
/// inventory of that year) and over the last four weeks — each event posted through the real
/// intake and fraud screen, so the demo holds refusals, a held burst, claims, expiries,
/// redemptions and a lot. Made up (illustrative), but every figure follows the methodologies.
public enum DemoInclusion {
    static let residents = 240

    public static func seed(_ database: CityCarbonDatabase, now: Date = Date(), by actor: String = "demo") throws {
        let partners = InclusionPartners(database)
        let amap = try partners.register(code: "amap", name: "Amap (map app)", scheme: "city",
                                         scenarios: ["walk", "walk-trip", "cycle", "metro", "bus"], by: actor).partner
        let transit = try partners.register(code: "transit-card", name: "City transit card", scheme: "city",
                                            scenarios: ["metro", "bus", "metro-ride", "bus-ride"], by: actor).partner
        let city = try partners.register(code: "Self", name: "Demo City app", scheme: "city",
                                         scenarios: ["walk", "parcel-box", "clean-plate", "no-disposable-tableware", "car-free-day"], by: actor).partner
        let accounts = InclusionAccounts(database)
        for item in [RedemptionItem(code: "grocer-5", scheme: "city", merchant: "Green Grocer", name: "5 CNY voucher", pricePoints: 500,
                                    faceValueCNY: Micro("5")!, perAccountPerMonth: 4),
                     RedemptionItem(code: "free-ride", scheme: "city", merchant: "Demo City Transit", name: "Free bus ride", pricePoints: 200,
                                    faceValueCNY: Micro("2")!, stockPerMonth: 10_000),
                     RedemptionItem(code: "tree", scheme: "city", merchant: "Demo City Greening Fund", name: "A tree planted", pricePoints: 2_000,
                                    faceValueCNY: Micro("30")!)] {
            try accounts.addItem(item, by: actor)
        }
        let tree = try JurisdictionRepository(database).tree()
        let districts = tree.roots.first.map { tree.children(of: $0) } ?? []
        var random = SeededRandom(seed: 2023)
        func next(_ bound: Int) -> Int { Int(random.next() % UInt64(max(1, bound))) }
        let intake = InclusionIntake(database)
        let zone: Int64 = 8 * 3600
        func instant(_ day: Day, hour: Int, minute: Int = 0) -> Int64 {
            Int64(day.ordinal - Day(year: 1970, month: 1, day: 1)!.ordinal) * 86_400 + Int64(hour * 3600 + minute * 60) - zone
        }
        func distance(_ km: Int, unit: String = "km") -> [ActivityDatum] {
            [ActivityDatum(name: "distance", unit: unit, value: unit == "m" ? Micro(whole: Int64(km * 1000)) : Micro(whole: Int64(km)))]
        }
        /// A day's behaviour of some residents, posted by each partner an hour after the day ends.
        func day(_ day: Day, people: Int, serial: inout Int) throws {
            var posts: [String: [BehaviourEvent]] = [:]
            for _ in 0..<people {
                let resident = next(residents)
                let did = "did:demo:\(String(format: "%04d", resident))"
                let district = districts.isEmpty ? nil : districts[resident % districts.count]
                let hour = 7 + next(12)
                serial += 1
                func event(_ partner: InclusionPartner, _ scenario: String, _ activity: [ActivityDatum], minutes: Int? = nil,
                           evidence: String = "operator", navigation: Bool? = nil) -> BehaviourEvent {
                    let start = instant(day, hour: hour, minute: next(50))
                    return BehaviourEvent(partner: partner.code, serial: "\(partner.code)-\(serial)", scheme: "city", account: did, scenario: scenario,
                                          startedAt: start, endedAt: minutes.map { start + Int64($0 * 60) }, device: "phone-\(resident)",
                                          evidence: evidence, navigation: navigation, district: district, activity: activity)
                }
                let made: BehaviourEvent
                switch next(10) {
                case 0, 1: made = event(amap, "walk", [ActivityDatum(name: "steps", unit: "step", value: Micro(whole: Int64(3_000 + next(12_000))))])
                case 2, 3: let km = 4 + next(18); made = event(transit, "metro", distance(km), minutes: km * 2 + 6)
                case 4: let km = 2 + next(10); made = event(transit, "bus", distance(km), minutes: km * 4 + 5)
                case 5: made = event(transit, "bus-ride", [ActivityDatum(name: "trips", unit: "trip", value: Micro(whole: 1))], evidence: "screenshot")
                case 6: let km = 1 + next(6); made = event(amap, "walk-trip", distance(km, unit: "m"), minutes: km * 13, navigation: true)
                case 7: made = event(city, "parcel-box", [ActivityDatum(name: "boxes", unit: "box", value: Micro(whole: Int64(1 + next(3))))],
                                     evidence: "self_check_in")
                case 8: made = event(city, "clean-plate", [ActivityDatum(name: "meals", unit: "meal", value: Micro(whole: 1))], evidence: "screenshot")
                default:
                    made = next(3) == 0 ? event(city, "car-free-day", distance(22), evidence: "self_check_in")
                        : event(city, "no-disposable-tableware", [ActivityDatum(name: "orders", unit: "order", value: Micro(whole: 1))],
                                evidence: "self_check_in")
                }
                posts[made.partner, default: []].append(made)
            }
            // One resident's walk logged at 40 km/h, and the same metro trip from both partners.
            serial += 1
            let start = instant(day, hour: 18)
            posts[amap.code, default: []].append(BehaviourEvent(partner: amap.code, serial: "amap-\(serial)", scheme: "city", account: "did:demo:0007",
                                                                 scenario: "walk-trip", startedAt: start, endedAt: start + 900, evidence: "operator",
                                                                 navigation: true, activity: distance(10)))
            for partner in [amap, transit] {
                posts[partner.code, default: []].append(BehaviourEvent(partner: partner.code, serial: "\(partner.code)-dup-\(serial)", scheme: "city",
                                                                       account: "did:demo:0011", scenario: "metro", startedAt: start - 7200,
                                                                       endedAt: start - 6000, evidence: "operator", activity: distance(12)))
            }
            let posted = Date(timeIntervalSince1970: Double(instant(day.adding(days: 1), hour: 1)))
            for partner in [amap, transit, city] {
                if let events = posts[partner.code] { _ = try intake.post(events, from: partner, now: posted) }
            }
        }
        var serial = 0
        let today = CreditScreening(scheme: MethodologyCatalogue.shipped.scheme("city")!).day(of: Int64(now.timeIntervalSince1970))
        // 2023, one day a week, beside that year's published inventory.
        var sunday = Day(year: 2023, month: 1, day: 1)!
        while sunday.year == 2023 {
            try day(sunday, people: 60, serial: &serial)
            // Transit credits are claimed on the resident's next visit, three days on; one in six is forgotten and expires.
            try accounts.claimOpen(scheme: "city", now: Date(timeIntervalSince1970: Double(instant(sunday.adding(days: 3), hour: 20))), skipping: 6)
            sunday = sunday.adding(days: 7)
        }
        // The last four weeks, every day.
        for offset in stride(from: -28, through: -1, by: 1) {
            try day(today.adding(days: offset), people: 25, serial: &serial)
            if offset <= -3 {
                try accounts.claimOpen(scheme: "city", now: Date(timeIntervalSince1970: Double(instant(today.adding(days: offset + 3), hour: 20))), skipping: 5)
            }
        }
        try accounts.expire(now: now)
        // A burst from one phone for many accounts: the screen holds it for review.
        let burst = (0..<5).map { index in
            BehaviourEvent(partner: city.code, serial: "Self-burst-\(index)", scheme: "city", account: "did:demo:09\(index)0", scenario: "parcel-box",
                           startedAt: Int64(now.timeIntervalSince1970) - 7200, device: "phone-shared", evidence: "self_check_in",
                           activity: [ActivityDatum(name: "boxes", unit: "box", value: Micro(whole: 1))])
        }
        _ = try intake.post(burst, from: city, now: now.addingTimeInterval(-3600))
        // Redemptions: residents with enough points take a voucher or a ride.
        for resident in stride(from: 1, to: residents, by: 9) {
            let did = "did:demo:\(String(format: "%04d", resident))"
            guard let view = try? accounts.account(scheme: "city", did: did, limit: 1) else { continue }
            let item = view.balance.available >= 500 ? "grocer-5" : view.balance.available >= 200 ? "free-ride" : nil
            if let item { _ = try accounts.redeem(scheme: "city", did: did, item: item, quantity: 1, serial: "demo-r-\(resident)", partner: "Self", now: now) }
        }
        // 2023's lots, month by month, of operator, meter and screenshot evidence.
        for month in 1...12 {
            _ = try? InclusionLots(database).build(scheme: "city", month: String(format: "2023-%02d", month), by: actor,
                                                   now: Date(timeIntervalSince1970: Double(instant(Day(year: 2024, month: 1, day: 15)!, hour: 10))))
        }
    }
}
