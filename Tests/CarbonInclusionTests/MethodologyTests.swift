import CarbonKit
import Testing
@testable import CarbonInclusion

/// Every shipped methodology against the published figures it comes from.
@Suite struct MethodologyTests {
    let catalogue = MethodologyCatalogue.shipped

    func grams(_ id: String, _ amount: String) -> String? {
        catalogue.methodology(id)?.reduction(for: Micro(amount)!)?.description
    }

    @Test func theCatalogueIsConsistentData() {
        #expect(catalogue.problems.isEmpty, "\(catalogue.problems)")
        #expect(catalogue.methodologies.allSatisfy { !$0.source.isEmpty && ["S", "S-weak", "D"].contains($0.mark) })
        // A Chinese reader gets the source in Chinese, naming the same year.
        #expect(catalogue.methodologies.allSatisfy { m in
            m.source_zh.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }
                && m.source.matches(of: /(?:19|20)\d\d/).allSatisfy { m.source_zh.contains(String(m.source[$0.range])) }
        })
    }

    @Test func hubeiStepsEarnTwoHundredthsOfAGramEach() {
        #expect(grams("walk@hubei-2022", "7250") == "145")
    }

    @Test func shenzhenBusAndMetroPerPersonKilometre() {
        #expect(grams("bus@shenzhen-2021", "10") == "269")
        #expect(grams("metro@shenzhen-2021", "10") == "467")
    }

    @Test func guangzhouMetroTripUnderBothBaselines() {
        #expect(grams("metro-trip@guangzhou-2017-substitution", "1") == "541.9")
        #expect(grams("metro-trip@guangzhou-2017-mean", "1") == "515.5")
    }

    @Test func beijingCarFreeDayIsBaselineMinusProject() {
        // 5.98 kg by car − 1.35 kg by metro over 22 km.
        #expect(grams("car-free-day@beijing-2019", "22") == "4630")
    }

    @Test func hubeiRidesAndBeijingActions() {
        #expect(grams("bus-trip@hubei-2022", "1") == "105")
        #expect(grams("metro-trip@hubei-2022", "1") == "274")
        #expect(grams("parcel-box@cainiao-2022", "1") == "37")
        #expect(grams("clean-plate@beijing-2022", "1") == "449")
        #expect(grams("no-disposable-tableware@beijing-2022", "1") == "23")
        #expect(grams("cycle@wuhan-2024", "2.5") == "100")
    }

    @Test func aReductionIsRoundedDownToSixPlaces() {
        // 1 km of a 1,350 g per 22 km trip: 61.363636… g, never rounded up.
        #expect(grams("walk-trip@maas-beijing-2020", "1") == "61.363636")
    }

    @Test func walkingHasTwoVersionsThatDifferInTheirCap() {
        let versions = catalogue.versions(of: "walk")
        #expect(versions.map(\.version) == ["antforest-2016", "hubei-2022"])
        #expect(versions[0].daily_cap_g == Micro("296") && versions[1].daily_cap_g == nil)
    }

    @Test func aMethodologyIsValidOnlyInItsPeriod() {
        let methodology = catalogue.methodology("cycle@wuhan-2024")!
        #expect(!methodology.isValid(on: Day("2024-11-12")!))
        #expect(methodology.isValid(on: Day("2024-11-13")!))
    }

    @Test func aSchemeRefusesAScenarioMappedToAMissingMethodology() throws {
        var broken = catalogue
        broken.schemes[0].scenarios["teleport"] = "teleport@nowhere"
        #expect(broken.problems == ["scheme city, scenario teleport: no methodology teleport@nowhere"])
    }
}

@Suite struct MicroTests {
    @Test func sixPlacesAreAcceptedASeventhIsRefused() {
        #expect(Micro("0.123456")?.millionths == 123_456)
        #expect(Micro("0.1234567") == nil)
    }

    @Test func textThatIsNotAPlainDecimalIsRefused() {
        for text in ["", ".", "-", "1e3", "1,000", " 1", "1.2.3", "NaN", "inf", "１２", "99999999999999999999"] {
            #expect(Micro(text) == nil, "\(text)")
        }
    }

    @Test func theWrittenFormHasNoTrailingZerosAndReadsBackToTheSameValue() {
        let cases: [(Int64, String)] = [(0, "0"), (145_000_000, "145"), (100_000, "0.1"), (-500_000, "-0.5"), (1, "0.000001"),
                                        (-1, "-0.000001"), (123_456_789, "123.456789"), (10_010_000, "10.01"),
                                        (.max, "9223372036854.775807"), (.min, "-9223372036854.775808")]
        for (millionths, text) in cases { #expect(Micro(millionths: millionths).description == text) }
        var random = SystemRandomNumberGenerator()
        for _ in 0..<10_000 {
            let value = Micro(millionths: Int64.random(in: -10_000_000_000...10_000_000_000, using: &random))
            #expect(Micro(value.description) == value, "\(value.millionths)")
        }
    }

    @Test func multiplyDivideNeverTrapsAndRoundsDown() {
        #expect(Micro.multiplyDivide(.max, .max, 1) == nil)
        #expect(Micro.multiplyDivide(.max, .max, .max) == .max)
        #expect(Micro.multiplyDivide(10, 1, 3) == 3)
        #expect(Micro.multiplyDivide(-10, 1, 3) == -4)
        #expect(Micro.multiplyDivide(1, 1, 0) == nil)
    }
}
