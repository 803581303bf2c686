import Testing
@testable import CityCarbonPages

/// Data text in another language than the page's is marked as such (WCAG 2.1, 3.1.2).
@Suite("Data text is marked with its language")
struct ContentLanguageTests {
    @Test("On a Chinese page English data is wrapped in lang=en and escaped; on an English page it is left alone")
    func wholeTexts() {
        #expect(Localizer(.zhHans).content("Port of <Helsinki>") == #"<span lang="en">Port of &lt;Helsinki&gt;</span>"#)
        #expect(Localizer(.en).content("Port of Helsinki") == "Port of Helsinki")
        #expect(Localizer(.en).content("赫尔辛基港") == #"<span lang="zh-Hans">赫尔辛基港</span>"#)
        #expect(Localizer(.zhHans).content("赫尔辛基港") == "赫尔辛基港")
        #expect(Localizer(.zhHans).content("") == "" && Localizer(.zhHans).content("2023 · 56,100") == "2023 · 56,100")
    }

    @Test("A line in both languages has each run marked by its own: an English citation of a Chinese section")
    func mixedRuns() {
        let source = "Hangzhou plan (2021) §一（二） 应对气候变化 and §四"
        #expect(Localizer(.zhHans).content(source)
                == #"<span lang="en">Hangzhou plan (2021) §</span>一（二） 应对气候变化 <span lang="en">and §</span>四"#)
        #expect(Localizer(.en).content(source) == #"Hangzhou plan (2021) §<span lang="zh-Hans">一（二） 应对气候变化 </span>and §<span lang="zh-Hans">四</span>"#)
        // Acronyms and codes inside a Chinese line are not words of another language.
        #expect(Localizer(.zhHans).content("2023年清单（BASIC+，GWP AR5）") == "2023年清单（BASIC+，GWP AR5）")
        // Leading digits and punctuation join the first run of letters.
        #expect(Localizer(.zhHans).content("(2021) plan") == #"<span lang="en">(2021) plan</span>"#)
    }
}
