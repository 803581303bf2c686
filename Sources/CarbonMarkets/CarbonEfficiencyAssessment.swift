/// The carbon-efficiency grades of a year's enterprises, each against its own industry's
/// intensity in the city (`L_industry = Σ CO2 / Σ value added` of the industry's enterprises),
/// with the year before for the trend, the city's supervision list and its district and
/// industry summaries.
public struct CarbonEfficiencyAssessment: Sendable {
    /// What an enterprise-year brings: its CO2 and value added, and where the CO2 comes from.
    public struct Input: Sendable, Equatable {
        public enum Basis: String, Sendable, Codable {
            /// The accepted, verified annual report.
            case verified
            /// Energy statistics (CO2 from total energy use) the enterprise reported for the year.
            case statistics
        }
        public var enterprise: String
        public var name: String
        public var industry: String
        public var jurisdiction: String
        public var year: Int
        public var co2: Double
        /// 10,000 CNY, income method.
        public var valueAdded: Double
        public var basis: Basis

        public init(enterprise: String, name: String, industry: String, jurisdiction: String, year: Int, co2: Double, valueAdded: Double,
                    basis: Basis) {
            (self.enterprise, self.name, self.industry, self.jurisdiction, self.year) = (enterprise, name, industry, jurisdiction, year)
            (self.co2, self.valueAdded, self.basis) = (co2, valueAdded, basis)
        }

        var usable: Bool { co2.isFinite && co2 >= 0 && valueAdded.isFinite && valueAdded > 0 }
        public var intensity: Double? { usable ? co2 / valueAdded : nil }
    }

    public enum Trend: String, Sendable, Codable {
        case better, same, worse, new
    }

    public struct Result: Sendable, Equatable {
        public var input: Input
        /// The industry's intensity, nil when the industry has too few enterprises to grade against.
        public var industryIntensity: Double?
        public var industryEnterprises: Int
        public var ratio: Double?
        public var grade: Int?
        public var level: CarbonEfficiencyGrade.Level?
        public var previousGrade: Int?
        public var trend: Trend?
        public var supervised: Bool
    }

    public struct Summary: Sendable, Equatable {
        public var key: String
        public var enterprises: Int
        /// Enterprises per grade 1…5; index 0 holds those not graded.
        public var byGrade: [Int]
        public var co2: Double
        public var valueAdded: Double
        public var intensity: Double? { valueAdded > 0 ? co2 / valueAdded : nil }
    }

    public let results: [Result]

    public init(_ inputs: [Input], previous: [Input] = [], rules: CarbonEfficiencyGrade = .standard) {
        let before = Dictionary(Self.grade(previous, rules: rules).compactMap { r in r.grade.map { (r.input.enterprise, $0) } },
                                uniquingKeysWith: { first, _ in first })
        results = Self.grade(inputs, rules: rules).map { result in
            var result = result
            result.previousGrade = before[result.input.enterprise]
            if let grade = result.grade {
                result.trend = result.previousGrade.map { $0 > grade ? .better : $0 < grade ? .worse : .same } ?? .new
            }
            return result
        }
    }

    /// The enterprises the city supervises closely: the supervision grades, worst ratio first.
    public var supervisionList: [Result] {
        results.filter(\.supervised).sorted { ($0.ratio ?? 0, $0.input.name) > ($1.ratio ?? 0, $1.input.name) }
    }

    public var byDistrict: [Summary] { summaries(\.input.jurisdiction) }
    public var byIndustry: [Summary] { summaries(\.input.industry) }

    private func summaries(_ key: KeyPath<Result, String>) -> [Summary] {
        Dictionary(grouping: results, by: { $0[keyPath: key] }).map { key, group in
            var byGrade = [Int](repeating: 0, count: 6)
            for result in group { byGrade[result.grade ?? 0] += 1 }
            let usable = group.filter(\.input.usable)
            return Summary(key: key, enterprises: group.count, byGrade: byGrade, co2: usable.reduce(0) { $0 + $1.input.co2 },
                           valueAdded: usable.reduce(0) { $0 + $1.input.valueAdded })
        }.sorted { $0.key < $1.key }
    }

    private static func grade(_ inputs: [Input], rules: CarbonEfficiencyGrade) -> [Result] {
        var industries: [String: (co2: Double, valueAdded: Double, count: Int)] = [:]
        for input in inputs where input.usable {
            let sum = industries[input.industry] ?? (0, 0, 0)
            industries[input.industry] = (sum.co2 + input.co2, sum.valueAdded + input.valueAdded, sum.count + 1)
        }
        return inputs.map { input in
            let industry = industries[input.industry] ?? (0, 0, 0)
            let mean = industry.count >= rules.minimumEnterprises && industry.valueAdded > 0 ? industry.co2 / industry.valueAdded : nil
            let intensity = input.intensity
            let grade = intensity.flatMap { l in mean.flatMap { rules.grade(intensity: l, industryMean: $0) } }
            return Result(input: input, industryIntensity: mean, industryEnterprises: industry.count,
                          ratio: intensity.flatMap { l in mean.flatMap { $0 > 0 ? l / $0 : nil } }, grade: grade,
                          level: intensity.map(rules.level(intensity:)), previousGrade: nil, trend: nil,
                          supervised: grade.map(rules.supervisionGrades.contains) ?? false)
        }.sorted { ($0.input.industry, $0.input.name, $0.input.enterprise) < ($1.input.industry, $1.input.name, $1.input.enterprise) }
    }
}
