import CarbonKit
import Testing
@testable import CityProgramme

/// The city's settings: one key at a time, each value checked against what the workspace knows.
@Suite("City settings")
struct CitySettingsTests {
    static let choices = CitySettings.Choices(gwpSets: ["AR4", "AR5", "AR6"], factorSets: ["CN2011", "IPCC2006"],
                                              gridSeries: ["cn_east", "cn_national"], fuels: ["natural_gas", "other_bituminous_coal"])

    @Test func aChineseCityStartsFromChinasConventions() {
        let s = CitySettings.standard
        #expect(s.utcOffsetMinutes == 480 && s.currency == "CNY" && s.gwp == "AR5" && s.gridSeries == "cn_national")
        #expect(s.headlineLevel == .basicPlus && s.energyMethod == .equivalent)
    }

    @Test func everyKeyIsSetAndShown() throws {
        var s = CitySettings.standard
        for (key, value) in [("name.zh-Hans", "杭州市"), ("name.en", "Hangzhou"), ("utc_offset", "+05:45"), ("currency", "EUR"),
                             ("price_base_year", "2020"), ("gwp", "AR6"), ("factor_set", "CN2011"), ("factor_set.natural_gas", "IPCC2006"),
                             ("grid_series", "cn_east"), ("headline_level", "basic"), ("energy_method", "calorific")] {
            try s.set(key, value, choices: Self.choices)
        }
        #expect(s.names == ["zh-Hans": "杭州市", "en": "Hangzhou"] && s.utcOffsetMinutes == 345 && s.priceBaseYear == 2020)
        #expect(s.factorSet(for: "natural_gas") == "IPCC2006" && s.factorSet(for: "other_bituminous_coal") == "CN2011")
        #expect(s.lines.map(\.key) == ["name.en", "name.zh-Hans", "utc_offset", "currency", "price_base_year", "gwp", "factor_set",
                                       "factor_set.natural_gas", "grid_series", "headline_level", "energy_method"])
        #expect(s.lines.first { $0.key == "utc_offset" }?.value == "+05:45")
        try s.set("factor_set.natural_gas", "", choices: Self.choices)
        #expect(s.factorSetByFuel.isEmpty)
    }

    @Test(arguments: [("gwp", "AR7", "is not one this workspace knows"), ("utc_offset", "+8", "is not a UTC offset"),
                      ("utc_offset", "+15:00", "is not a UTC offset"), ("utc_offset", "+05:20", "is not a UTC offset"),
                      ("currency", "yuan", "is not an ISO 4217 currency code"), ("price_base_year", "1800", "must be a whole number"),
                      ("factor_set", "CN2012", "is not one this workspace knows"), ("headline_level", "territorial", "is not an inventory level"),
                      ("name.fr", "Hangzhou", "is not a language of the pages"), ("name.en", "Hang\u{7}zhou", "is not a name"),
                      ("energy_method", "coal", "is not a way of counting electricity")])
    func aBadValueIsNamedAndChangesNothing(_ key: String, _ value: String, _ reason: String) {
        var s = CitySettings.standard
        #expect {
            try s.set(key, value, choices: Self.choices)
        } throws: { error in
            let issue = error as? InputIssue
            return issue?.location.field == key && issue?.reason.contains(reason) == true
        }
        #expect(s == CitySettings.standard)
    }

    @Test func anUnknownKeyOrFuelIsNamedWithASuggestion() {
        var s = CitySettings.standard
        #expect { try s.set("grid_serie", "cn_east", choices: Self.choices) } throws: { ($0 as? InputIssue)?.suggestion?.contains("grid_series") == true }
        #expect { try s.set("factor_set.natral_gas", "CN2011", choices: Self.choices) } throws: { ($0 as? InputIssue)?.suggestion?.contains("natural_gas") == true }
    }
}
