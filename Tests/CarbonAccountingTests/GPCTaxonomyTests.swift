import Foundation
import Testing
@testable import CarbonAccounting

@Suite("GPC 1.1 taxonomy")
struct GPCTaxonomyTests {
    let taxonomy = GPCTaxonomy.standard

    @Test("There are 53 reference numbers, from I.1.1 to VI.1, each of GPC's form")
    func count() throws {
        #expect(taxonomy.entries.count == 53)
        #expect(taxonomy.entries.first?.ref == "I.1.1")
        #expect(taxonomy.entries.last?.ref == "VI.1")
        let form = try NSRegularExpression(pattern: "^(I|II|III)\\.\\d\\.\\d$|^(IV|V|VI)\\.\\d$")
        for entry in taxonomy.entries {
            #expect(form.firstMatch(in: entry.ref, range: NSRange(entry.ref.startIndex..., in: entry.ref)) != nil, "\(entry.ref)")
        }
    }

    @Test("I.4.4 and III.x.3 are scope 1 but territorial only")
    func territorialOnly() {
        for ref in ["I.4.4", "III.1.3", "III.2.3", "III.3.3", "III.4.3"] {
            #expect(taxonomy.entry(ref)?.scope == 1)
            #expect(taxonomy.entry(ref)?.level == .territorialOnly, "\(ref)")
        }
    }

    @Test("Waste disposed outside the city (III.x.2) is scope 3 and in BASIC")
    func wasteOutside() {
        #expect(taxonomy.entry("III.1.2")?.scope == 3)
        #expect(taxonomy.entry("III.1.2")?.level == .basic)
    }

    @Test("T&D losses and transboundary transport are scope 3, BASIC+; IPPU and AFOLU scope 1, BASIC+; VI.1 other scope 3")
    func basicPlus() {
        #expect(taxonomy.entry("I.1.3")?.level == .basicPlus)
        #expect(taxonomy.entry("II.4.3")?.scope == 3)
        #expect(taxonomy.entry("II.4.3")?.level == .basicPlus)
        #expect(taxonomy.entry("IV.1")?.level == .basicPlus)
        #expect(taxonomy.entry("V.2")?.scope == 1)
        #expect(taxonomy.entry("VI.1")?.level == .otherScope3)
    }

    @Test("Off-road transport has no scope-3 row")
    func offRoad() {
        #expect(taxonomy.entry("II.5.3") == nil)
    }

    @Test("The CityCatalyst typo I.63 suggests I.6.3, and a lower-case reference its upper-case form")
    func typoSuggestions() {
        #expect(taxonomy.unknownReferenceIssue("I.63", at: .init()).suggestion == "did you mean 'I.6.3'?")
        #expect(taxonomy.unknownReferenceIssue("ii.1.1", at: .init()).suggestion?.contains("'II.1.1'") == true)
    }
}
