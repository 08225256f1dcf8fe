// Settings files: JSON is parsed as JSON; anything else as YAML and converted to JSON.
#include "host/config/settings_file.h"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "host/config/yaml_json.h"
#include "host/config/yaml_strict.h"

namespace switchyard {

std::optional<std::string> read_settings_file(const std::filesystem::path &file, std::string &error) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        error = file.string() + ": cannot read settings file";
        return std::nullopt;
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();
    const auto first = text.find_first_not_of(" \t\r\n");
    try {
        nlohmann::json settings;
        if (first != std::string::npos && text[first] == '{') {
            settings = nlohmann::json::parse(text);
        } else {
            std::vector<std::string> problems;
            const std::optional<YAML::Node> yaml = parse_strict_yaml(text, file.string(), problems);
            if (!yaml) {
                error = problems.front();  // the first is enough to fix the file
                return std::nullopt;
            }
            settings = yaml_to_json(*yaml);
        }
        if (!settings.is_object()) {
            error = file.string() + ": settings must be a mapping of keys to values";
            return std::nullopt;
        }
        return settings.dump();
    } catch (const nlohmann::json::exception &e) {
        error = file.string() + ": invalid JSON (" + e.what() + ")";
    } catch (const YAML::Exception &e) {  // a key that is a list or a mapping
        error = file.string() + ":" + std::to_string(e.mark.line + 1) + ": invalid YAML (" + e.msg + ")";
    }
    return std::nullopt;
}

}  // namespace switchyard
