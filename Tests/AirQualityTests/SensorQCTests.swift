import Testing
@testable import AirQuality

/// Flags beside the raw value: A/B agreement by EPA's rule, range, stuck sensors, jumps, completeness.
@Suite("Sensor quality checks")
struct SensorQCTests {
    static let qc = SensorQC.shipped

    @Test func channelsAgreeingWithinEitherLimitAreAveraged() {
        // 10 apart but only 18 % relative: kept.
        #expect(Self.qc.combine(a: 50, b: 60) == SensorQC.Checked(raw: 55, value: 55, flags: []))
        // 80 % relative but only 4 apart: kept.
        #expect(Self.qc.combine(a: 3, b: 7).value == 5)
    }

    @Test func channelsBeyondBothLimitsAreFlaggedAndTheRawValueKept() {
        let checked = Self.qc.combine(a: 5, b: 20)
        #expect(checked.value == nil && checked.flags == [.channelsDisagree] && checked.raw == 12.5)
        #expect(Self.qc.combine(a: nil, b: 20).flags == [.missing])
    }

    @Test func aValueRepeatedSixHoursIsStuckAndFiveIsNot() {
        let five = Self.qc.check([10, 12, 12, 12, 12, 12, 14], parameter: "pm25")
        #expect(five.allSatisfy { $0.flags.isEmpty })
        let six = Self.qc.check([10, 12, 12, 12, 12, 12, 12, 14], parameter: "pm25")
        #expect(six[1...6].allSatisfy { $0.flags == [.stuck] && $0.value == nil } && six[7].value == 14)
    }

    @Test func rangeAndJumpsAreFlaggedAndTheSeriesGoesOnFromTheLastGoodHour() {
        let checked = Self.qc.check([20, -3, 1_500, 25, 400, 30, nil], parameter: "pm25")
        #expect(checked.map(\.flags) == [[], [.outOfRange], [.outOfRange], [], [.jump], [], [.missing]])
        #expect(checked.map(\.raw) == [20, -3, 1_500, 25, 400, 30, nil])
    }

    /// 18 of 24 hours (75 %) make a daily mean; 17 do not.
    @Test func aMeanNeedsSeventyFivePercentOfItsExpectedValues() {
        let eighteen = (0..<18).map { _ in SensorQC.Checked(raw: 10, value: 10, flags: []) }
        #expect(Self.qc.mean(of: eighteen, expected: 24).mean == 10)
        let seventeen = Array(eighteen.prefix(17))
        let short = Self.qc.mean(of: seventeen, expected: 24)
        #expect(short.mean == nil && abs(short.completeness - 70.83) < 0.01)
    }
}
