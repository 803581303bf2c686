import CarbonAccounting
import CarbonKit
import CityCarbonPages
import CityCarbonStore
import CityProgramme
import ClimatePlans
import Foundation

/// The health co-benefit as pages show it, beside an action's reductions and a scenario's
/// emissions: the figures come from ``HealthCoBenefits``, with the published statistics.
enum HealthSections {
    /// The districts and the statistics the public's estimates rest on.
    static func inputs(_ database: CityCarbonDatabase, edition: Edition = .published) throws -> (districts: [String], statistics: [JurisdictionStatistic]) {
        (HealthCoBenefits.districts(of: try JurisdictionRepository(database).tree()), try StatisticsRepository(database).all(edition: edition))
    }

    /// A GPC sector by its name in the page's language (`I.2 Commercial and institutional buildings`).
    static func sectorName(_ ref: String, _ t: Localizer) -> String {
        guard let entry = GPCTaxonomy.standard.entries.first(where: { $0.subsector == ref }) else { return ref }
        return "\(ref) \(t.language == .zhHans ? entry.subsectorName.zhHans : entry.subsectorName.en)"
    }

    /// An action's estimate for the API: the figures and their basis, or the problem that stops them.
    static func json(_ result: Result<(HealthCoBenefits.Estimate, HealthCoBenefits.Basis), HealthCoBenefits.Problem>) -> JSONValue {
        switch result {
        case .failure(let problem): return .object([("problem", .string(problem.description))])
        case .success(let (estimate, basis)):
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            // The action's own members are snake_case: its health reads the same way.
            encoder.keyEncodingStrategy = .convertToSnakeCase
            func value(_ x: some Encodable) -> JSONValue {
                (try? encoder.encode(x)).flatMap { JSONValue(parsing: String(decoding: $0, as: UTF8.self)) } ?? .null
            }
            return .object([("estimate", value(estimate)), ("basis", value(basis))])
        }
    }

    /// Deaths are few: a tenth of a death is still worth showing.
    static func deaths(_ x: Double, _ t: Localizer) -> String { t.number(x, decimals: abs(x) < 10 ? (abs(x) < 0.1 && x != 0 ? 3 : 1) : 0) }

    /// An amount in the language's large units (`health.money.units`: "1000000:{amount} million
    /// {currency}", or 亿 and 万 in Chinese), the largest the amount reaches; `scale` fixes the unit
    /// for a whole column, so its figures compare.
    static func money(_ x: Double, _ basis: HealthCoBenefits.Basis, _ t: Localizer, scale fixed: Double? = nil) -> String {
        let units = t("health.money.units").split(separator: ";").compactMap { entry -> (Double, String)? in
            let parts = entry.split(separator: ":", maxSplits: 1)
            return parts.count == 2 ? Double(parts[0]).map { ($0, String(parts[1])) } : nil
        }.sorted { $0.0 > $1.0 }
        guard let (scale, template) = fixed.map({ f in units.first { $0.0 == f } }) ?? units.first(where: { abs(x) >= $0.0 }) else {
            return "\(t.number(x, decimals: 0)) \(basis.currency)"
        }
        let amount = x / scale
        return template.replacingOccurrences(of: "{amount}", with: t.number(amount, decimals: abs(amount) >= 100 ? 0 : abs(amount) >= 10 ? 1 : 2))
            .replacingOccurrences(of: "{currency}", with: basis.currency)
    }

    /// The unit a column of amounts is shown in: the one its largest amount needs.
    static func scale(_ amounts: [Double], _ t: Localizer) -> Double? {
        let largest = amounts.map(abs).max() ?? 0
        return t("health.money.units").split(separator: ";").compactMap { Double($0.split(separator: ":")[0]) }.sorted(by: >).first { largest >= $0 }
    }

    /// An action's section: what it changes, the deaths avoided by district, and the method.
    static func action(_ effect: AirEffect, result: Result<(HealthCoBenefits.Estimate, HealthCoBenefits.Basis), HealthCoBenefits.Problem>,
                       t: Localizer) -> HTML {
        var body: HTML = "<section id=\"health\"><h2>\(t("health.title"))</h2>"
        let pollutant = effect.pollutant == .pm25 ? "PM2.5" : "NO₂"
        switch result {
        case .failure(.noStatistics):
            body += "<p>\(t("health.noStatistics"))</p>"
        case .failure(.unknownDistrict(let name)):
            body += "<p>\(t("health.unknownDistrict", ["district": name]))</p>"
        case .failure(.beyondAnnualMeans(let change)):
            body += "<p>\(t("health.beyondAnnualMeans", ["amount": t.number(change, decimals: 0)]))</p>"
        case .success(let (estimate, basis)):
            // An action that makes the air worse costs deaths: said so, in positive numbers.
            let worse = estimate.reduction < 0, sign = worse ? -1.0 : 1.0
            let change: String
            if let tonnes = estimate.emissionTonnes {
                change = t(worse ? "health.change.emissionUp" : "health.change.emission",
                           ["tonnes": t.number(abs(tonnes), decimals: 1), "amount": t.number(abs(estimate.reduction), decimals: 3)])
            } else {
                change = t(worse ? "health.change.concentrationUp" : "health.change.concentration",
                           ["pollutant": pollutant, "amount": t.number(abs(estimate.reduction), decimals: 2),
                            "where": effect.district ?? t("health.wholeCity")])
            }
            let (low, high) = (min(sign * estimate.avoidedLow, sign * estimate.avoidedHigh), max(sign * estimate.avoidedLow, sign * estimate.avoidedHigh))
            let figures = ["change": change, "deaths": deaths(sign * estimate.avoided, t), "low": deaths(low, t), "high": deaths(high, t),
                           "value": money(sign * estimate.value, basis, t), "year": String(basis.priceYear)]
            let summary = t(worse ? "health.actionSummaryWorse" : "health.actionSummary", figures)
            body += "<p class=\"lead\" data-avoided=\"\(String(estimate.avoided))\">\(summary)</p>"
            if let source = effect.source { body += "<p>\(t("health.effectSource"))\(t.content(source))</p>" }
            body += districts(estimate, worse: worse, t: t)
            body += method(basis, pollutant: pollutant, fromEmissions: estimate.emissionTonnes != nil, t: t)
        }
        return body + "</section>"
    }

    /// By district; an effect that makes the air worse is shown as the increase and the deaths it adds.
    static func districts(_ estimate: HealthCoBenefits.Estimate, worse: Bool = false, t: Localizer) -> HTML {
        let sign = worse ? -1.0 : 1.0
        var body: HTML = "<table id=\"health-districts\"><caption>\(t(worse ? "health.byDistrictWorse" : "health.byDistrict"))</caption><thead><tr>"
        // The deaths come first after the district, so a phone shows them without scrolling.
        let columns = ["health.district", worse ? "health.added" : "health.avoided", worse ? "health.increase" : "health.reduction",
                       "health.people", "health.deaths"]
        body += "\(Table.headings(columns, t))</tr></thead><tbody>"
        for d in estimate.districts {
            let (low, high) = (min(sign * d.avoidedLow, sign * d.avoidedHigh), max(sign * d.avoidedLow, sign * d.avoidedHigh))
            body += "<tr data-district=\"\(d.name)\"><th scope=\"row\">\(d.name)</th>"
            body += "<td class=\"n\">\(deaths(sign * d.avoided, t)) <small>(\(deaths(low, t))–\(deaths(high, t)))</small></td>"
            body += "<td class=\"n\">\(t.number(sign * d.reduction, decimals: 3))</td><td class=\"n\">\(t.number(d.population, decimals: 0))</td>"
            body += "<td class=\"n\">\(t.number(d.deaths, decimals: 0)) (\(d.statisticYear))</td></tr>"
        }
        body += "</tbody></table>"
        if !estimate.uncounted.isEmpty { body += "<p class=\"note\">\(t("health.uncountedDistricts", ["list": estimate.uncounted.joined(separator: ", ")]))</p>" }
        return body
    }

    /// How the figures were made, each number with its source.
    static func method(_ basis: HealthCoBenefits.Basis, pollutant: String, fromEmissions: Bool, t: Localizer) -> HTML {
        var body: HTML = "<details class=\"method\"><summary>\(t("health.methodTitle"))</summary>"
        let risk = ["rr": t.number(basis.relativeRisk, decimals: 2), "low": t.number(basis.relativeRiskLow, decimals: 2),
                    "high": t.number(basis.relativeRiskHigh, decimals: 2), "per": t.number(basis.per, decimals: 0), "pollutant": pollutant]
        body += "<p>\(t("health.method", risk))</p>"
        body += "<p>\(t("health.source"))\(t.content(basis.functionSource))</p>"
        if fromEmissions {
            let intake = ["ppm": t.number(basis.intakeFractionPPM, decimals: 0), "class": t("health.class.\(basis.intakeFractionClass)"),
                          "rate": t.number(basis.breathingRate, decimals: 1)]
            body += "<p>\(t("health.methodEmission", intake))</p>"
            body += "<p>\(t("health.source"))\(t.content(basis.intakeFractionSource))</p>"
        }
        let value = ["vsl": t.number(basis.valueOfLife, decimals: 0), "currency": basis.currency, "year": String(basis.priceYear)]
        body += "<p>\(t("health.methodValue", value))</p>"
        body += "<p>\(t("health.source"))\(t.content(basis.valueOfLifeSource))</p></details>"
        return body
    }

    /// A scenario's section: PM2.5 its measures keep out of the air and the deaths avoided,
    /// in the milestone years, beside its gross emissions.
    static func scenario(_ result: Result<HealthCoBenefits.Scenario, HealthCoBenefits.Problem>, milestones: [Int], t: Localizer,
                         sectorName: (String) -> String) -> HTML {
        var body: HTML = "<section id=\"health\"><h2>\(t("health.title"))</h2>"
        switch result {
        case .failure:
            body += "<p>\(t("health.noStatistics"))</p>"
        case .success(let health):
            let statistics = health.years.last?.estimate.districts.map(\.statisticYear).max().map(String.init) ?? "—"
            body += "<p>\(t("health.scenarioLead", ["year": statistics]))</p>"
            body += "<table id=\"health-years\"><caption>\(t("health.byYear"))</caption><thead><tr>"
            body += "\(Table.headings(["pathways.year", "health.gross", "health.avoided", "health.value", "health.pm25Tonnes", "health.reduction"], t))"
            body += "</tr></thead><tbody>"
            let valueScale = scale(milestones.map { health.years[$0].estimate.value }, t)
            for i in milestones {
                let y = health.years[i], e = y.estimate
                body += "<tr data-year=\"\(y.year)\" data-avoided=\"\(String(e.avoided))\"><th scope=\"row\">\(y.year)</th>"
                body += "<td class=\"n\">\(t.number(y.gross / 1e6, decimals: 2))</td>"
                body += "<td class=\"n\">\(deaths(e.avoided, t)) <small>(\(deaths(e.avoidedLow, t))–\(deaths(e.avoidedHigh, t)))</small></td>"
                body += "<td class=\"n\">\(money(e.value, health.basis, t, scale: valueScale))</td>"
                body += "<td class=\"n\">\(t.number(e.emissionTonnes ?? 0, decimals: 1))</td><td class=\"n\">\(t.number(e.reduction, decimals: 4))</td></tr>"
            }
            body += "</tbody></table>"
            if let last = health.years.last, !last.estimate.uncounted.isEmpty {
                body += "<p class=\"note\">\(t("health.uncountedDistricts", ["list": last.estimate.uncounted.joined(separator: ", ")]))</p>"
            }
            if !health.uncountedEnergy.isEmpty {
                let list = health.uncountedEnergy.map { "\(sectorName($0.sector)): \(t.fuel($0.fuel)) (\(t.number($0.terajoules, decimals: 0)) TJ)" }
                let end = health.years.last.map { String($0.year) } ?? ""
                body += "<p class=\"note\" id=\"health-uncounted\">\(t("health.uncountedEnergy", ["list": list.joined(separator: "; "), "year": end]))</p>"
            }
            body += "<p class=\"note\">\(t("health.factors"))\(t.content(health.basis.emissionFactorsSource))</p>"
            body += method(health.basis, pollutant: "PM2.5", fromEmissions: true, t: t)
        }
        return body + "</section>"
    }
}
