import ArgumentParser
import DataLake

/// `datalake feeds enable|disable|archive NAME`: flips one key in the feed's own file.
enum FeedsStateCommand {
    static func edit(_ config: ConfigOptions, feed: String, key: String, value: Bool) throws {
        let desired = try config.loadDesired()
        do {
            switch try FeedFileEditor.set(key, to: value, feed: feed, in: desired) {
            case let .unchanged(path): print("\(feed) already has \(key): \(value) in \(path); nothing to change")
            case let .edited(path): print("set \(key): \(value) for \(feed) in \(path); \(FeedsCommand.nextStep)")
            }
        } catch { throw Terminal.fail(error) }
    }

    struct Enable: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "enable", abstract: "Set `enabled: true` in the feed's file.")
        @OptionGroup var config: ConfigOptions
        @Argument(help: "Feed name.") var feed: String
        func run() throws { try FeedsStateCommand.edit(config, feed: feed, key: "enabled", value: true) }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "disable", abstract: "Set `enabled: false` in the feed's file (data is kept).")
        @OptionGroup var config: ConfigOptions
        @Argument(help: "Feed name.") var feed: String
        func run() throws { try FeedsStateCommand.edit(config, feed: feed, key: "enabled", value: false) }
    }

    struct Archive: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "archive", abstract: "Set `archived: true` in the feed's file (data is never deleted).")
        @OptionGroup var config: ConfigOptions
        @Argument(help: "Feed name.") var feed: String
        func run() throws { try FeedsStateCommand.edit(config, feed: feed, key: "archived", value: true) }
    }
}
