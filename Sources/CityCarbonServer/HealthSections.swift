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

    /// An action's estimate for the API: the figures and their basis, or the problem that stops them.
    static func json(_ result: Result<(HealthCoBenefits.Estimate, HealthCoBenefits.Basis), HealthCoBenefits.Problem>) -> JSONValue {
        switch result {
        case .failure(let problem): return .object([("problem", .string(problem.description))])
        case .success(let (estimate, basis)):
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            func value(_ x: some Encodable) -> JSONValue {
                (try? encoder.encode(x)).flatMap { JSONValue(parsing: String(decoding: $0, as: UTF8.self)) } ?? .null
            }
            return .object([("estimate", value(estimate)), ("basis", value(basis))])
        }
    }

    /// Deaths are few: a tenth of a death is still worth showing.
    static func deaths(_ x: Double, _ t: Localizer) -> String { t.number(x, decimals: abs(x) < 10 ? (abs(x) < 0.1 && x != 0 ? 3 : 1) : 0) }

    /// Millions are read as millions (万 in Chinese): `health.money.scale` is the language's unit.
    static func money(_ x: Double, _ basis: HealthCoBenefits.Basis, _ t: Localizer) -> String {
        let scale = Double(t("health.money.scale")) ?? 1e6
        guard abs(x) >= scale else { return "\(t.number(x, decimals: 0)) \(basis.currency)" }
        return t("health.money.large", ["amount": t.number(x / scale, decimals: abs(x) >= 100 * scale ? 0 : 1), "currency": basis.currency])
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
        case .success(let (estimate, basis)):
            let change: String
            if let tonnes = estimate.emissionTonnes {
                change = t("health.change.emission", ["tonnes": t.number(tonnes, decimals: 1), "amount": t.number(estimate.reduction, decimals: 3)])
            } else {
                change = t("health.change.concentration", ["pollutant": pollutant, "amount": t.number(estimate.reduction, decimals: 2),
                                                           "where": effect.district ?? t("health.wholeCity")])
            }
            body += "<p class=\"lead\" data-avoided=\"\(String(estimate.avoided))\">\(t("health.actionSummary", ["change": change, "deaths": deaths(estimate.avoided, t), "low": deaths(estimate.avoidedLow, t), "high": deaths(estimate.avoidedHigh, t), "value": money(estimate.value, basis, t), "year": String(basis.priceYear)]))</p>"
            if let source = effect.source { body += "<p>\(t("health.effectSource"))\(t.content(source))</p>" }
            body += districts(estimate, t: t)
            body += method(basis, pollutant: pollutant, fromEmissions: estimate.emissionTonnes != nil, t: t)
        }
        return body + "</section>"
    }

    static func districts(_ estimate: HealthCoBenefits.Estimate, t: Localizer) -> HTML {
        var body: HTML = "<table id=\"health-districts\"><caption>\(t("health.byDistrict"))</caption><thead><tr>"
        body += "\(Table.headings(["health.district", "health.people", "health.deaths", "health.reduction", "health.avoided"], t))</tr></thead><tbody>"
        for d in estimate.districts {
            body += "<tr data-district=\"\(d.name)\"><th scope=\"row\">\(d.name)</th><td class=\"n\">\(t.number(d.population, decimals: 0))</td>"
            body += "<td class=\"n\">\(t.number(d.deaths, decimals: 0)) (\(d.statisticYear))</td><td class=\"n\">\(t.number(d.reduction, decimals: 3))</td>"
            body += "<td class=\"n\">\(deaths(d.avoided, t)) <small>(\(deaths(d.avoidedLow, t))–\(deaths(d.avoidedHigh, t)))</small></td></tr>"
        }
        body += "</tbody></table>"
        if !estimate.uncounted.isEmpty { body += "<p class=\"note\">\(t("health.uncountedDistricts", ["list": estimate.uncounted.joined(separator: ", ")]))</p>" }
        return body
    }

    /// How the figures were made, each number with its source.
    static func method(_ basis: HealthCoBenefits.Basis, pollutant: String, fromEmissions: Bool, t: Localizer) -> HTML {
        var body: HTML = "<details class=\"method\"><summary>\(t("health.methodTitle"))</summary>"
        body += "<p>\(t("health.method", ["rr": t.number(basis.relativeRisk, decimals: 2), "low": t.number(basis.relativeRiskLow, decimals: 2), "high": t.number(basis.relativeRiskHigh, decimals: 2), "per": t.number(basis.per, decimals: 0), "pollutant": pollutant]))</p>"
        body += "<p>\(t("health.source"))\(t.content(basis.functionSource))</p>"
        if fromEmissions {
            body += "<p>\(t("health.methodEmission", ["ppm": t.number(basis.intakeFractionPPM, decimals: 0), "class": t("health.class.\(basis.intakeFractionClass)"), "rate": t.number(basis.breathingRate, decimals: 1)]))</p>"
            body += "<p>\(t("health.source"))\(t.content(basis.intakeFractionSource))</p>"
        }
        body += "<p>\(t("health.methodValue", ["vsl": t.number(basis.valueOfLife, decimals: 0), "currency": basis.currency, "year": String(basis.priceYear)]))</p>"
        body += "<p>\(t("health.source"))\(t.content(basis.valueOfLifeSource))</p></details>"
        return body
    }

    /// A scenario's section: PM2.5 its measures keep out of the air and the deaths avoided,
    /// in the milestone years, beside its gross emissions.
    static func scenario(_ result: Result<HealthCoBenefits.Scenario, HealthCoBenefits.Problem>, milestones: [Int], t: Localizer) -> HTML {
        var body: HTML = "<section id=\"health\"><h2>\(t("health.title"))</h2>"
        switch result {
        case .failure:
            body += "<p>\(t("health.noStatistics"))</p>"
        case .success(let health):
            body += "<p>\(t("health.scenarioLead"))</p>"
            body += "<table id=\"health-years\"><caption>\(t("health.byYear"))</caption><thead><tr>"
            body += "\(Table.headings(["pathways.year", "health.gross", "health.pm25Tonnes", "health.reduction", "health.avoided", "health.value"], t))"
            body += "</tr></thead><tbody>"
            for i in milestones {
                let y = health.years[i], e = y.estimate
                body += "<tr data-year=\"\(y.year)\" data-avoided=\"\(String(e.avoided))\"><th scope=\"row\">\(y.year)</th>"
                body += "<td class=\"n\">\(t.number(y.gross / 1e6, decimals: 2))</td><td class=\"n\">\(t.number(e.emissionTonnes ?? 0, decimals: 1))</td>"
                body += "<td class=\"n\">\(t.number(e.reduction, decimals: 4))</td>"
                body += "<td class=\"n\">\(deaths(e.avoided, t)) <small>(\(deaths(e.avoidedLow, t))–\(deaths(e.avoidedHigh, t)))</small></td>"
                body += "<td class=\"n\">\(money(e.value, health.basis, t))</td></tr>"
            }
            body += "</tbody></table>"
            if let last = health.years.last, !last.estimate.uncounted.isEmpty {
                body += "<p class=\"note\">\(t("health.uncountedDistricts", ["list": last.estimate.uncounted.joined(separator: ", ")]))</p>"
            }
            if !health.uncountedEnergy.isEmpty {
                let list = health.uncountedEnergy.map { "\($0.sector) \(t.fuel($0.fuel)) (\(t.number($0.terajoules, decimals: 0)) TJ)" }
                body += "<p class=\"note\" id=\"health-uncounted\">\(t("health.uncountedEnergy", ["list": list.joined(separator: ", ")]))</p>"
            }
            body += "<p class=\"note\">\(t("health.factors"))\(t.content(health.basis.emissionFactorsSource))</p>"
            body += method(health.basis, pollutant: "PM2.5", fromEmissions: true, t: t)
        }
        return body + "</section>"
    }
}
