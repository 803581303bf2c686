import Testing
@testable import AirQuality

/// The PurpleAir correction's versions against their worked values (PA = 20 µg/m³, RH = 50 %),
/// and a collocation fit against a made series with a known slope.
@Suite("Sensor correction and collocation")
struct SensorCorrectionTests {
    @Test(arguments: [("epa-purpleair-2021", 11.92), ("sensortoolkit-1.1", 11.94), ("epa-purpleair-2020", 11.86)])
    func eachPurpleAirVersionGivesItsWorkedValue(id: String, expected: Double) throws {
        let correction = try #require(SensorCorrections.shipped.correction(id))
        #expect(abs(try #require(correction.apply(pm: 20, relativeHumidity: 50)) - expected) < 0.005)
    }

    @Test func thePinnedVersionIsTheOnePublishedIn2021() {
        #expect(SensorCorrections.shipped.current.id == "epa-purpleair-2021")
        #expect(SensorCorrections.shipped.current.source.contains("Atmospheric Measurement Techniques 14 (2021)"))
    }

    @Test(arguments: [(-1.0, 50.0), (20, 101), (.nan, 50), (20, .infinity)])
    func aReadingOutsideTheSensorsRangeIsNotCorrected(pm: Double, rh: Double) {
        #expect(SensorCorrections.shipped.current.apply(pm: pm, relativeHumidity: rh) == nil)
    }

    @Test func aCleanReadingInDampAirIsNeverCorrectedBelowZero() {
        #expect(SensorCorrections.shipped.current.apply(pm: 0, relativeHumidity: 100) == 0)
    }

    /// A sensor reading 1.4 × the reference + 2, with a small alternating error: the fit finds the slope and intercept.
    @Test func aCollocationFitFindsAKnownSlopeAndJudgesItAgainstEPATargets() throws {
        let reference = (0..<240).map { 5 + Double($0 % 48) * 0.8 }
        let sensor = reference.enumerated().map { index, r in Optional(1.4 * r + 2 + (index % 2 == 0 ? 0.5 : -0.5)) }
        let fit = try Collocation.fit(sensor: sensor, reference: reference.map(Optional.init)).get()
        #expect(abs(fit.slope - 1.4) < 0.01 && abs(fit.intercept - 2) < 0.2 && fit.r2 > 0.99 && fit.pairs == 240)
        #expect(abs(fit.calibrated(1.4 * 20 + 2) - 20) < 0.2)
        let target = try #require(SensorTargets.shipped.target("pm25"))
        let judged = Dictionary(uniqueKeysWithValues: fit.judged(by: target).map { ($0.metric, $0.passes) })
        // A slope of 1.4 is outside 0.65–1.35: the raw sensor fails bias and error, passes linearity.
        #expect(judged == ["slope": false, "intercept": true, "r2": true, "rmse": false])
    }

    @Test func aFitSkipsGapsAndRefusesWhatCannotBeFitted() {
        #expect(Collocation.fit(sensor: [1, nil, 3], reference: [1, 2, nil]) == .failure(.tooFewPairs(1)))
        #expect(Collocation.fit(sensor: [1, 2, 3], reference: [5, 5, 5]) == .failure(.constantReference))
        #expect(Collocation.fit(sensor: [1, 2], reference: [1, 2, 3]) == .failure(.lengthsDiffer(sensor: 2, reference: 3)))
    }
}

/// A collocation's fit turned into the sensor's own calibration.
struct CalibrationTests {
    static let target = SensorTargets.shipped.target("pm25")!
    static func fit(slope: Double, intercept: Double, r2: Double) -> Collocation {
        Collocation(pairs: 48, slope: slope, intercept: intercept, r2: r2, rmse: 1, nrmse: 10, referenceMean: 20)
    }

    @Test("A sensor reading 1.5 × reference + 2 is calibrated to (sensor − 2) ÷ 1.5, without humidity")
    func turnedAround() throws {
        let calibration = try SensorCorrection.calibration(Self.fit(slope: 1.5, intercept: 2, r2: 0.9), parameter: "pm25", target: Self.target,
                                                           collocation: 7, title: "t", source: "s").get()
        #expect(calibration.id == "collocation-7" && calibration.rh == 0 && !calibration.needsHumidity)
        #expect(abs((calibration.apply(pm: 32, relativeHumidity: nil) ?? 0) - 20) < 1e-12)
        #expect(calibration.apply(pm: 1, relativeHumidity: nil) == 0, "never below zero")
        #expect(calibration.apply(pm: .nan, relativeHumidity: nil) == nil)
    }

    @Test("A fit below EPA's R² target, a falling slope or another pollutant gives no calibration")
    func refused() {
        let weak = SensorCorrection.calibration(Self.fit(slope: 1.5, intercept: 2, r2: 0.5), parameter: "pm25", target: Self.target,
                                                collocation: 1, title: "", source: "")
        #expect(weak == .failure(.linearity(r2: 0.5, needed: 0.7)))
        #expect(SensorCorrection.calibration(Self.fit(slope: -1, intercept: 2, r2: 0.9), parameter: "pm25", target: Self.target,
                                             collocation: 1, title: "", source: "") == .failure(.slope(-1)))
        #expect(SensorCorrection.calibration(Self.fit(slope: 1, intercept: 0, r2: 1), parameter: "o3", target: Self.target,
                                             collocation: 1, title: "", source: "") == .failure(.parameter("o3")))
    }

    @Test("EPA's correction still needs the hour's humidity")
    func humidityStillNeeded() {
        let epa = SensorCorrections.shipped.current
        #expect(epa.needsHumidity && epa.apply(pm: 20, relativeHumidity: nil) == nil)
        #expect(abs((epa.apply(pm: 20, relativeHumidity: 50) ?? 0) - 11.92) < 1e-9)
    }
}
