#include <mollifem/base/exceptions.h>

#include <sstream>

namespace mollifem
{
  std::string
  user_message(const std::exception &exception)
  {
    std::string text;
    if (const auto *deal_exception =
          dynamic_cast<const dealii::ExceptionBase *>(&exception))
      {
        std::ostringstream stream;
        deal_exception->print_info(stream);
        text = stream.str();
      }
    else
      text = exception.what();

    // deal.II spreads some messages over indented lines (the pattern
    // mismatch of ParameterHandler, for instance); one line reads better in
    // a terminal and compares reliably in tests.
    std::string result;
    for (const char c : text)
      {
        const bool space = (c == ' ' || c == '\t' || c == '\n' || c == '\r');
        if (space)
          {
            if (!result.empty() && result.back() != ' ')
              result += ' ';
          }
        else
          result += c;
      }
    if (!result.empty() && result.back() == ' ')
      result.pop_back();
    return result;
  }
} // namespace mollifem
