import CityCarbonPages
import Testing

/// Wide tables scroll inside their own named, focusable box, never the page.
@Suite("Tables that scroll inside their box")
struct ScrollingTablesTests {
    @Test func aTableIsWrappedInARegionNamedByItsCaptionWithoutItsTags() {
        let html = #"<main><table class="gpc"><caption>GPC 2023 <small>(t CO2e)</small></caption><tr><td>1</td></tr></table></main>"#
        #expect(ScrollingTables.wrap(HTML(verbatim: html), unnamed: "Table").markup == #"<main><div class="scroll" tabindex="0" role="region" aria-label="GPC 2023 (t CO2e)">"#
            + #"<table class="gpc"><caption>GPC 2023 <small>(t CO2e)</small></caption><tr><td>1</td></tr></table></div></main>"#)
    }

    @Test func aTableWithoutACaptionIsNamedAsATable() {
        let wrapped = ScrollingTables.wrap("<table><thead><tr><th>a</th></tr></thead></table>", unnamed: "表格").markup
        #expect(wrapped.hasPrefix(#"<div class="scroll" tabindex="0" role="region" aria-label="表格"><table>"#))
    }

    @Test func everyTableIsWrappedOnceAndTheRestIsUntouched() {
        let html = "<p>a</p><table><caption>x</caption></table><p>b &amp; c</p><table id=\"t\"></table><p>d</p>"
        let wrapped = ScrollingTables.wrap(HTML(verbatim: html), unnamed: "Table").markup
        #expect(wrapped.components(separatedBy: #"<div class="scroll""#).count == 3)
        #expect(wrapped.components(separatedBy: "</table></div>").count == 3)
        #expect(wrapped.replacingOccurrences(of: #"<div class="scroll" tabindex="0" role="region" aria-label="x">"#, with: "")
            .replacingOccurrences(of: #"<div class="scroll" tabindex="0" role="region" aria-label="Table">"#, with: "")
            .replacingOccurrences(of: "</table></div>", with: "</table>") == html)
        #expect(ScrollingTables.wrap("<p>no tables</p>", unnamed: "Table") == "<p>no tables</p>")
    }

    @Test func aCaptionCannotCloseTheAttributeItNames() {
        let wrapped = ScrollingTables.wrap(#"<table><caption>a "quoted" name</caption></table>"#, unnamed: "Table")
        #expect(wrapped.contains(#"aria-label="a &quot;quoted&quot; name""#))
    }
}
