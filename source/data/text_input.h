#ifndef mollifem_source_data_text_input_h
#define mollifem_source_data_text_input_h

// Helpers of the observation readers: line-numbered input and number
// parsing whose errors name the file and line. Not installed.

#include <mollifem/base/exceptions.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace mollifem
{
  namespace internal
  {
    /**
     * The lines of a text file with their numbers, read at once.
     */
    struct TextFile
    {
      std::string              name;
      std::vector<std::string> lines;

      explicit TextFile(const std::string &filename)
        : name(filename)
      {
        std::ifstream in(filename);
        AssertThrow(in.good(),
                    ExcFile(filename, 0, "the file does not exist or cannot "
                                         "be read."));
        std::string line;
        while (std::getline(in, line))
          {
            if (!line.empty() && line.back() == '\r')
              line.pop_back();
            lines.push_back(line);
          }
      }
    };

    /**
     * @p text as a finite number, or ExcFile naming file, line and what the
     * field is.
     */
    inline double
    parse_number(const std::string &text,
                 const std::string &file,
                 const unsigned int line,
                 const std::string &what)
    {
      const char *begin = text.c_str();
      char *      end   = nullptr;
      const double value = std::strtod(begin, &end);
      while (end != nullptr && (*end == ' ' || *end == '\t'))
        ++end;
      AssertThrow(end != begin && *end == '\0',
                  ExcFile(file, line, what + ": '" + text +
                                        "' is not a number."));
      AssertThrow(std::isfinite(value),
                  ExcFile(file, line, what + ": '" + text +
                                        "' is not finite (NaN and infinity "
                                        "are not admissible data)."));
      return value;
    }

    /// A number as a short string ("%g"), for messages.
    inline std::string
    number_to_string(const double value)
    {
      char buffer[32];
      std::snprintf(buffer, sizeof(buffer), "%g", value);
      return buffer;
    }

    inline std::string
    trim(const std::string &text)
    {
      const auto first = text.find_first_not_of(" \t");
      if (first == std::string::npos)
        return "";
      const auto last = text.find_last_not_of(" \t");
      return text.substr(first, last - first + 1);
    }

    /// The comma-separated fields of @p line, trimmed.
    inline std::vector<std::string>
    split_fields(const std::string &line)
    {
      std::vector<std::string> fields;
      std::string              field;
      std::istringstream       stream(line);
      while (std::getline(stream, field, ','))
        fields.push_back(trim(field));
      if (!line.empty() && line.back() == ',')
        fields.emplace_back();
      return fields;
    }
  } // namespace internal
} // namespace mollifem

#endif
