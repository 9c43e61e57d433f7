#ifndef mollifem_base_format_h
#define mollifem_base_format_h

#include <deal.II/base/point.h>

#include <cstdio>
#include <string>

namespace mollifem
{
  namespace internal
  {
    /// A number for screen output, "%.4g".
    inline std::string
    format(const double value)
    {
      char buffer[32];
      std::snprintf(buffer, sizeof(buffer), "%.4g", value);
      return buffer;
    }

    /// A point for screen output, "(x, y)".
    template <int dim>
    std::string
    format(const dealii::Point<dim> &p)
    {
      std::string result = "(";
      for (unsigned int d = 0; d < dim; ++d)
        result += (d > 0 ? ", " : "") + format(p[d]);
      return result + ")";
    }
  } // namespace internal
} // namespace mollifem

#endif
