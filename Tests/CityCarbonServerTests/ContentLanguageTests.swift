import Testing
@testable import CityCarbonPages

/// Data text in another language than the page's is marked as such (WCAG 2.1, 3.1.2).
@Suite("Data text is marked with its language")
struct ContentLanguageTests {
    @Test("Latin text is English, mostly-Han text Chinese, numbers neither")
    func detection() {
        #expect(Localizer.language(of: "Port of Helsinki") == "en")
        #expect(Localizer.language(of: "赫尔辛基港") == "zh-Hans")
        #expect(Localizer.language(of: "Hangzhou 14th Five-Year Plan for Addressing Climate Change (2021) §二（三） 总体目标") == "en")
        #expect(Localizer.language(of: "杭州市应对气候变化“十四五”规划 (2021)") == "zh-Hans")
        #expect(Localizer.language(of: "2023 · 56,100") == nil)
    }

    @Test("On a Chinese page English data is wrapped in lang=en and escaped; on an English page it is left alone")
    func marking() {
        #expect(Localizer(.zhHans).content("Port of <Helsinki>") == #"<span lang="en">Port of &lt;Helsinki&gt;</span>"#)
        #expect(Localizer(.en).content("Port of Helsinki") == "Port of Helsinki")
        #expect(Localizer(.en).content("赫尔辛基港") == #"<span lang="zh-Hans">赫尔辛基港</span>"#)
        #expect(Localizer(.zhHans).content("赫尔辛基港") == "赫尔辛基港")
        #expect(Localizer(.zhHans).content("") == "")
    }
}
