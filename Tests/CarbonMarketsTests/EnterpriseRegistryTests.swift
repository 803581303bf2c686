import CarbonKit
import Testing
@testable import CarbonMarkets

/// Who the registry holds: credit codes checked, reporting obligations by the rule, sheets read with every problem named.
@Suite("Enterprise registry")
struct EnterpriseRegistryTests {
    @Test("Real credit codes check (Alibaba 91330100716105852F, Tencent 91440300708461136T, the standard's example 91350100M000100Y43)",
          arguments: ["91330100716105852F", "91440300708461136T", "91350100M000100Y43", "911100001000044477"])
    func validCodes(code: String) {
        #expect(CreditCode.problem(code) == nil)
    }

    @Test("A mistyped character, a letter the code never uses, a short code and a letter in the region are each named")
    func invalidCodes() {
        #expect(CreditCode.problem("91330100716105852E")?.contains("the first 17 characters give F") == true)
        #expect(CreditCode.problem("91330100716105853F")?.contains("mistyped") == true)
        #expect(CreditCode.problem("9133010071610585IF")?.contains("character 17 (I)") == true)
        #expect(CreditCode.problem("91330100716105852")?.contains("18 characters") == true)
        #expect(CreditCode.problem("91A30100716105852F")?.contains("region") == true)
        #expect(CreditCode.problem("９1330100716105852F") != nil, "a full-width digit is not a digit of the code")
    }

    @Test("A cement plant that emitted 30,000 t two years ago must report; a power plant of 9,000 tce and 20,000 t need not; an office never")
    func obligations() {
        let rule = ReportingObligation.standard
        #expect(rule.threshold_tonnes_co2e == 26_000 && rule.threshold_tce == 10_000)
        #expect(rule.reason(year: 2025, industry: "3011", emissions: [2023: 30_000, 2024: 20_000], energyTce: [:])
                == .init(sector: "building_materials", year: 2023, emissions: 30_000, energyTce: nil))
        #expect(rule.reason(year: 2025, industry: "4411", emissions: [2024: 20_000], energyTce: [2024: 9_000]) == nil)
        #expect(rule.reason(year: 2025, industry: "4411", emissions: [:], energyTce: [2022: 10_000])?.energyTce == 10_000)
        #expect(rule.reason(year: 2025, industry: "4411", emissions: [2021: 99_000], energyTce: [:]) == nil, "older than the years considered")
        #expect(rule.reason(year: 2025, industry: "7211", emissions: [2024: 1e9], energyTce: [:]) == nil)
        #expect(rule.sectors.count == 8)
    }

    static let enterprises = """
        credit_code,name,industry,jurisdiction,listed,state_owned
        91330100716105852F,West Lake Cement,3011,Northbank,yes,no
        91440300708461136T,Harbour Power,4411,Southbank,,yes
        """
    static let sources = """
        credit_code,facility,facility_name,monitoring_site,source,kind,fuel,datastreams
        91330100716105852F,kiln-1,Kiln line 1,site-7,coal,combustion,raw_coal,gas-7;coal-7
        91330100716105852F,kiln-1,,,clinker,process,clinker,
        91330100716105852F,kiln-1,,,grid,purchased_electricity,,elec-7
        """

    @Test("Two sheets give enterprises with their facilities and sources")
    func sheets() throws {
        let list = try EnterpriseSheet.parse(enterprises: try ReferenceTable(name: "enterprises.csv", text: Self.enterprises),
                                             sources: try ReferenceTable(name: "sources.csv", text: Self.sources),
                                             jurisdictions: ["Northbank", "Southbank"], fuels: ["raw_coal", "natural_gas", "clinker"])
        #expect(list.map(\.name) == ["West Lake Cement", "Harbour Power"])
        #expect(list[0].listed && !list[0].stateOwned && list[1].stateOwned)
        let kiln = try #require(list[0].facilities.first)
        #expect(kiln.name == "Kiln line 1" && kiln.monitoringSite == "site-7" && kiln.sources.map(\.kind) == [.combustion, .process, .purchasedElectricity])
        #expect(kiln.sources[0].datastreams == ["gas-7", "coal-7"])
    }

    @Test("Every problem of both sheets is named by file, row and column; nothing is returned")
    func problems() throws {
        let enterprises = """
            credit_code,name,industry,jurisdiction,listed,state_owned
            91330100716105852E,West Lake Cement,301,Nortbank,maybe,no
            91440300708461136T,,4411,Southbank,,
            91440300708461136T,Harbour Power again,4411,Southbank,,
            """
        let sources = """
            credit_code,facility,facility_name,monitoring_site,source,kind,fuel,datastreams
            91110000600037341L,kiln-1,,,coal,combustion,raw_coal,
            91440300708461136T,unit-1,,,coal,combustion,raw_cole,
            91440300708461136T,unit-1,,,coal,boiler,raw_coal,
            """
        do {
            _ = try EnterpriseSheet.parse(enterprises: try ReferenceTable(name: "enterprises.csv", text: enterprises),
                                          sources: try ReferenceTable(name: "sources.csv", text: sources),
                                          jurisdictions: ["Northbank", "Southbank"], fuels: ["raw_coal"])
            Issue.record("the sheets should be refused")
        } catch {
            let named = error.issues.map { "\($0.location.file ?? ""):\($0.location.row ?? 0):\($0.location.field ?? "")" }
            #expect(named == ["enterprises.csv:2:credit_code", "enterprises.csv:2:industry", "enterprises.csv:2:jurisdiction", "enterprises.csv:2:listed",
                              "enterprises.csv:3:name", "enterprises.csv:4:credit_code",
                              "sources.csv:2:credit_code", "sources.csv:3:fuel", "sources.csv:4:source", "sources.csv:4:kind"])
            #expect(error.issues.first { $0.location.field == "jurisdiction" }?.suggestion == "did you mean Northbank?")
        }
    }
}
