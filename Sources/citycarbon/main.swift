import ArgumentParser
import CarbonKit
import CityCarbonStore
import Foundation

/// Runs the command line and returns the exit status: 0 success, 1 the input has errors (all
/// printed), 2 wrong usage.
func runCommandLine() async -> Int32 {
    do {
        var command = try CityCarbon.parseAsRoot()
        if var asynchronous = command as? AsyncParsableCommand {
            try await asynchronous.run()
        } else {
            try command.run()
        }
        return 0
    } catch let errors as InputErrors {
        Terminal.printErrors(errors)
        return 1
    } catch let error as MonitoringError {
        Terminal.error(error.description)
        return 1
    } catch let failure as CLIFailure {
        Terminal.error(failure.message)
        return failure.usage ? 2 : 1
    } catch {
        let code = CityCarbon.exitCode(for: error)
        if code == .success {
            print(CityCarbon.fullMessage(for: error))
            return 0
        }
        FileHandle.standardError.write(Data((CityCarbon.fullMessage(for: error) + "\n").utf8))
        return code == .validationFailure ? 2 : code.rawValue
    }
}

exit(await runCommandLine())
