import Testing
@testable import CarbonMarkets

/// Serial blocks and the serial formats of other registries, against the reference's worked examples.
@Suite("Serial numbers")
struct SerialNumberTests {
    @Test("A Verra VCU range 385,170,050–385,170,149 is 100 units of project 1718, vintage 2016")
    func verra() throws {
        let range = try #require(SerialNumberFormats.verra("7331-385170050-385170149-VCU-013-MER-CN-14-1718-01012016-31122016-0"))
        #expect(range.units == 100)
        #expect(range.project == 1718 && range.country == "CN" && range.unit == "VCU")
        #expect(range.vintageStart == "01012016" && range.vintageEnd == "31122016")
    }

    @Test("A Verra range that ends before it starts, or has a field missing, is not a serial")
    func verraRefusals() {
        #expect(SerialNumberFormats.verra("7331-385170149-385170050-VCU-013-MER-CN-14-1718-01012016-31122016-0") == nil)
        #expect(SerialNumberFormats.verra("7331-385170050-385170149-VCU-013-MER-CN-14-1718-01012016-31122016") == nil)
        #expect(SerialNumberFormats.verra("7331-385170050-385170149-VCU-013-MER-CN-14-1718-01132016-31122016-0") == nil)
    }

    @Test("UNDP format VU-ITMO-11-356-2022-0-27-35 reads as 9 units of programme 356, scope 11, and prints back the same")
    func undp() throws {
        let serial = try #require(SerialNumberFormats.undp("VU-ITMO-11-356-2022-0-27-35"))
        #expect(serial.units == 9 && serial.scope == 11 && serial.programme == 356 && serial.year == 2022)
        #expect(serial.description == "VU-ITMO-11-356-2022-0-27-35")
        #expect(SerialNumberFormats.undp("VU-ITMO-16-356-2022-0-27-35") == nil, "sectoral scopes run 1–15")
    }

    @Test("The next issuance starts after the previous end: after 26, 10 credits are 27–36 and 9 are 27–35; 0 is refused")
    func nextRange() {
        // The UNDP README's rounding table shows a credit of 10 as 27–36 *and* the block after
        // it starting at 36: one of the two is off by one. Here the next block after 27–36 starts at 37.
        #expect(SerialNumberFormats.nextRange(after: 26, amount: 10) == 27...36)
        #expect(SerialNumberFormats.nextRange(after: 36, amount: 5) == 37...41)
        #expect(SerialNumberFormats.nextRange(after: 26, amount: 9.4) == 27...35)
        #expect(SerialNumberFormats.nextRange(after: 26, amount: 9.5) == 27...36)
        #expect(SerialNumberFormats.nextRange(after: 26, amount: 0) == nil)
        #expect(SerialNumberFormats.nextRange(after: 26, amount: 0.4) == nil)
        #expect(SerialNumberFormats.nextRange(after: 26, amount: -3) == nil)
        #expect(SerialNumberFormats.nextRange(after: 26, amount: .nan) == nil)
        #expect(SerialNumberFormats.nextRange(after: 26, amount: 1e308) == nil)
        #expect(SerialNumberFormats.nextRange(after: Int64.max - 1, amount: 2) == nil)
    }

    @Test("A block's identifier reads back; a split keeps the first serials and leaves the rest")
    func blocks() throws {
        let block = SerialBlock(unit: "CEA", vintage: 2023, start: 1, end: 1000)
        #expect(block.description == "CEA-2023-1-1000" && block.count == 1000)
        #expect(SerialBlock(identifier: "CEA-2023-1-1000") == block)
        #expect(SerialBlock(identifier: "cea-2023-1-1000") == nil && SerialBlock(identifier: "CEA-2023-9-1") == nil)
        #expect(SerialBlock(identifier: "CEA-2023-0-5") == nil && SerialBlock(identifier: "CEA-2023-1-99999999999999999999") == nil)
        let (taken, rest) = block.split(taking: 300)
        #expect(taken == SerialBlock(unit: "CEA", vintage: 2023, start: 1, end: 300))
        #expect(rest == SerialBlock(unit: "CEA", vintage: 2023, start: 301, end: 1000))
        #expect(block.split(taking: 1000).rest == nil)
    }
}
