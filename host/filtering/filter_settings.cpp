// Reading event-filtering and consent settings. Shapes are RudderStack's destination config
// (lists of one-member objects); where rudder-server silently ignores a malformed value (and so
// would deliver against the user's consent), the host refuses the configuration instead.
#include "host/filtering/filter_settings.h"

namespace switchyard::filtering {
namespace {

using json = nlohmann::json;

class Reader {
   public:
    explicit Reader(std::vector<FilterSettingProblem> &problems) : problems_(problems) {}

    // The non-empty `member` strings of the list at object[key], e.g. whitelistedEvents[].eventName;
    // `base` is the object's JSON pointer in the settings.
    std::vector<std::string> id_list(const json &object, const std::string &base, const std::string &key,
                                     std::string_view member) {
        std::vector<std::string> ids;
        if (!object.contains(key)) return ids;
        const json &list = object[key];
        if (!list.is_array()) {
            problem(base + "/" + key, "must be a list of {\"" + std::string(member) + "\": …} objects");
            return ids;
        }
        for (size_t i = 0; i < list.size(); ++i) {
            std::string at = base;
            at.append("/").append(key).append("/").append(std::to_string(i));
            if (!list[i].is_object() || !list[i].contains(member)) {
                problem(at, "must be an object with a \"" + std::string(member) + "\" string");
                continue;
            }
            const json &id = list[i][std::string(member)];
            if (!id.is_string()) problem(at + "/" + std::string(member), "must be a string");
            else if (!id.get_ref<const std::string &>().empty()) ids.push_back(id.get<std::string>());
        }
        return ids;
    }

    EventFilter event_filter(const json &settings) {
        EventFilter filter;
        const json option = settings.value("eventFilteringOption", json("disable"));
        if (option == "whitelistedEvents") filter.option = EventFilterOption::whitelisted_events;
        else if (option == "blacklistedEvents") filter.option = EventFilterOption::blacklisted_events;
        else if (option != "disable")
            problem("/eventFilteringOption", "must be one of \"disable\", \"whitelistedEvents\", \"blacklistedEvents\"");
        // Both lists are checked, the chosen one is kept: RudderStack's dashboard sends both.
        std::vector<std::string> white = id_list(settings, "", "whitelistedEvents", "eventName");
        std::vector<std::string> black = id_list(settings, "", "blacklistedEvents", "eventName");
        if (filter.option == EventFilterOption::whitelisted_events) filter.names = std::move(white);
        if (filter.option == EventFilterOption::blacklisted_events) filter.names = std::move(black);
        return filter;
    }

    // One `consentManagement` entry: {provider, resolutionStrategy, consents: [{consent}]}.
    void provider_entry(const json &entry, const std::string &at, ConsentSettings &out) {
        if (!entry.is_object()) return problem(at, "must be an object with \"provider\" and \"consents\"");
        const json provider = entry.value("provider", json(""));
        const json strategy = entry.value("resolutionStrategy", json(""));
        if (!provider.is_string()) problem(at + "/provider", "must be a string");
        if (strategy != "" && strategy != "and" && strategy != "or")
            problem(at + "/resolutionStrategy", "must be \"and\" or \"or\"");
        std::vector<std::string> consents = id_list(entry, at, "consents", "consent");
        if (!provider.is_string() || provider == "" || consents.empty() || !strategy.is_string()) return;
        out.providers[provider.get<std::string>()] = {strategy.get<std::string>(), std::move(consents)};  // last wins
    }

    ConsentSettings consent(const json &settings) {
        ConsentSettings out;
        out.one_trust_categories = id_list(settings, "", "oneTrustCookieCategories", "oneTrustCookieCategory");
        out.ketch_purposes = id_list(settings, "", "ketchConsentPurposes", "purpose");
        if (!settings.contains("consentManagement")) return out;
        const json &entries = settings["consentManagement"];
        if (!entries.is_array()) {
            problem("/consentManagement", "must be a list of {\"provider\", \"resolutionStrategy\", \"consents\"} objects");
            return out;
        }
        for (size_t i = 0; i < entries.size(); ++i)
            provider_entry(entries[i], "/consentManagement/" + std::to_string(i), out);
        return out;
    }

   private:
    void problem(std::string pointer, std::string what) { problems_.push_back({std::move(pointer), std::move(what)}); }
    std::vector<FilterSettingProblem> &problems_;
};

}  // namespace

FilterSettings read_filter_settings(const json &settings) {
    FilterSettings out;
    if (!settings.is_object()) return out;
    Reader reader(out.problems);
    out.filter.events = reader.event_filter(settings);
    out.filter.consent = reader.consent(settings);
    return out;
}

json without_host_settings(json settings) {
    if (settings.is_object())
        for (std::string_view key : kHostSettingKeys) settings.erase(std::string(key));
    return settings;
}

}  // namespace switchyard::filtering
