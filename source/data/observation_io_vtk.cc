#include <mollifem/base/exceptions.h>
#include <mollifem/base/files.h>
#include <mollifem/data/observation_io.h>

#include "text_input.h"

#include <cstdio>
#include <sstream>

namespace mollifem
{
  namespace ObservationIO
  {
    namespace
    {
      /**
       * The whitespace-separated tokens of a file from a given line on, each
       * with its line number.
       */
      class Tokens
      {
      public:
        Tokens(const internal::TextFile &text, const unsigned int first_line)
          : file(text.name)
        {
          for (unsigned int i = first_line; i < text.lines.size(); ++i)
            {
              std::istringstream stream(text.lines[i]);
              std::string        token;
              while (stream >> token)
                tokens.emplace_back(token, i + 1);
            }
        }

        bool
        done() const
        {
          return position >= tokens.size();
        }

        /// The line of the next token (or of the last one at the end).
        unsigned int
        line() const
        {
          if (tokens.empty())
            return 0;
          return tokens[std::min(position, tokens.size() - 1)].second;
        }

        const std::string &
        peek() const
        {
          static const std::string end_of_file;
          return done() ? end_of_file : tokens[position].first;
        }

        std::string
        next(const std::string &what)
        {
          AssertThrow(!done(),
                      ExcFile(file,
                              line(),
                              "the file ends where " + what +
                                " was expected."));
          return tokens[position++].first;
        }

        void
        expect(const std::string &keyword)
        {
          const unsigned int l     = line();
          const std::string  token = next("'" + keyword + "'");
          AssertThrow(token == keyword,
                      ExcFile(file,
                              l,
                              "expected '" + keyword + "', found '" + token +
                                "'."));
        }

        double
        number(const std::string &what)
        {
          const unsigned int l = line();
          return internal::parse_number(next(what), file, l, what);
        }

        unsigned int
        count(const std::string &what)
        {
          const unsigned int l     = line();
          const double       value = number(what);
          AssertThrow(value >= 0 && value == static_cast<unsigned int>(value),
                      ExcFile(file,
                              l,
                              what + " must be a non-negative integer, not " +
                                internal::number_to_string(value) + "."));
          return static_cast<unsigned int>(value);
        }

        const std::string file;

      private:
        std::vector<std::pair<std::string, unsigned int>> tokens;
        std::size_t                                       position = 0;
      };
    } // namespace



    template <int dim>
    Observations<dim>
    read_vtk(const std::string &filename)
    {
      const internal::TextFile text(filename);
      AssertThrow(!text.lines.empty(),
                  ExcFile(filename,
                          0,
                          "the file is empty: a legacy VTK file starts with "
                          "'# vtk DataFile Version 3.0'."));
      AssertThrow(text.lines[0].rfind("# vtk DataFile", 0) == 0,
                  ExcFile(filename,
                          1,
                          "not a legacy VTK file: the first line must be "
                          "'# vtk DataFile Version 3.0'."));
      AssertThrow(text.lines.size() >= 2,
                  ExcFile(filename, 1, "the file ends after its first line."));

      // Line 2 is a free title; the structure starts on line 3.
      Tokens tokens(text, 2);
      {
        const unsigned int l      = tokens.line();
        const std::string  format = tokens.next("'ASCII'");
        AssertThrow(format == "ASCII",
                    ExcFile(filename,
                            l,
                            "only ASCII legacy VTK files are supported, not '" +
                              format + "'."));
      }
      tokens.expect("DATASET");
      {
        const unsigned int l    = tokens.line();
        const std::string  kind = tokens.next("'STRUCTURED_POINTS'");
        AssertThrow(kind == "STRUCTURED_POINTS",
                    ExcFile(filename,
                            l,
                            "the dataset is '" + kind +
                              "'; observations on a grid need "
                              "STRUCTURED_POINTS."));
      }

      unsigned int        n[3] = {0, 0, 0};
      double              origin[3] = {0, 0, 0}, spacing[3] = {0, 0, 0};
      bool                have_dimensions = false, have_spacing = false;
      std::vector<double> times;
      bool                have_times = false;
      while (tokens.peek() != "POINT_DATA")
        {
          const unsigned int l       = tokens.line();
          const std::string  keyword = tokens.next("'POINT_DATA'");
          if (keyword == "DIMENSIONS")
            {
              for (unsigned int d = 0; d < 3; ++d)
                n[d] = tokens.count("DIMENSIONS");
              have_dimensions = true;
              for (unsigned int d = 0; d < 3; ++d)
                AssertThrow(n[d] >= 1,
                            ExcFile(filename,
                                    l,
                                    "every entry of DIMENSIONS must be at "
                                    "least 1."));
              for (unsigned int d = dim; d < 3; ++d)
                AssertThrow(n[d] == 1,
                            ExcFile(filename,
                                    l,
                                    "the grid has " + std::to_string(n[d]) +
                                      " points in direction " +
                                      std::to_string(d + 1) + ", but the "
                                      "problem is " + std::to_string(dim) +
                                      "D: that entry of DIMENSIONS must be "
                                      "1."));
            }
          else if (keyword == "ORIGIN")
            for (unsigned int d = 0; d < 3; ++d)
              origin[d] = tokens.number("ORIGIN");
          else if (keyword == "SPACING" || keyword == "ASPECT_RATIO")
            {
              for (unsigned int d = 0; d < 3; ++d)
                spacing[d] = tokens.number(keyword);
              have_spacing = true;
            }
          else if (keyword == "FIELD")
            {
              tokens.next("the name of the field data");
              const unsigned int n_arrays = tokens.count("the number of "
                                                         "field arrays");
              for (unsigned int a = 0; a < n_arrays; ++a)
                {
                  const unsigned int la   = tokens.line();
                  const std::string  name = tokens.next("a field array");
                  AssertThrow(name == "TIME" && !have_times,
                              ExcFile(filename,
                                      la,
                                      "unsupported field array '" + name +
                                        "': the only field data read is one "
                                        "array TIME with the observation "
                                        "times."));
                  AssertThrow(tokens.count("the components of TIME") == 1,
                              ExcFile(filename,
                                      la,
                                      "TIME must have 1 component."));
                  const unsigned int n_times =
                    tokens.count("the number of times");
                  tokens.next("the type of TIME");
                  for (unsigned int i = 0; i < n_times; ++i)
                    times.push_back(tokens.number("a time"));
                  have_times = true;
                }
            }
          else
            AssertThrow(false,
                        ExcFile(filename,
                                l,
                                "unexpected '" + keyword +
                                  "' (expected DIMENSIONS, ORIGIN, SPACING, "
                                  "FIELD or POINT_DATA)."));
        }
      const unsigned int point_data_line = tokens.line();
      AssertThrow(have_dimensions && have_spacing,
                  ExcFile(filename,
                          point_data_line,
                          "DIMENSIONS and SPACING must come before "
                          "POINT_DATA."));
      tokens.expect("POINT_DATA");
      const unsigned int n_values = tokens.count("POINT_DATA");
      AssertThrow(n_values == n[0] * n[1] * n[2],
                  ExcFile(filename,
                          point_data_line,
                          "POINT_DATA says " + std::to_string(n_values) +
                            " values, but DIMENSIONS " + std::to_string(n[0]) +
                            " " + std::to_string(n[1]) + " " +
                            std::to_string(n[2]) + " make " +
                            std::to_string(n[0] * n[1] * n[2]) +
                            " grid points."));
      for (unsigned int d = 0; d < dim; ++d)
        AssertThrow(n[d] == 1 || spacing[d] > 0,
                    ExcFile(filename,
                            0,
                            "SPACING must be positive in every direction "
                            "with more than one point."));

      Observations<dim> observations;
      observations.source_file = filename;
      StructuredGrid<dim> grid;
      for (unsigned int d = 0; d < dim; ++d)
        {
          grid.n_points[d] = n[d];
          grid.origin[d]   = origin[d];
          grid.spacing[d]  = spacing[d];
        }
      observations.grid   = grid;
      observations.points = grid.points();
      // The line of a grid point is that of its value in the first array.
      observations.source_lines.assign(observations.points.size(), 0);

      while (!tokens.done())
        {
          const unsigned int l = tokens.line();
          tokens.expect("SCALARS");
          const std::string name = tokens.next("the name of the array");
          tokens.next("the type of the array");
          if (tokens.peek() != "LOOKUP_TABLE" && !tokens.done())
            {
              const unsigned int lc = tokens.line();
              AssertThrow(tokens.count("the number of components") == 1,
                          ExcFile(filename,
                                  lc,
                                  "array '" + name +
                                    "' must have 1 component."));
            }
          if (tokens.peek() == "LOOKUP_TABLE")
            {
              tokens.next("LOOKUP_TABLE");
              tokens.next("the name of the lookup table");
            }
          if (observations.values.empty())
            observations.field_name = name;

          std::vector<double> values;
          values.reserve(n_values);
          for (unsigned int j = 0; j < n_values; ++j)
            {
              AssertThrow(!tokens.done() && tokens.peek() != "SCALARS",
                          ExcFile(filename,
                                  tokens.line(),
                                  "array '" + name + "' (line " +
                                    std::to_string(l) + ") has " +
                                    std::to_string(j) +
                                    " values, but POINT_DATA says " +
                                    std::to_string(n_values) + "."));
              if (observations.values.empty())
                observations.source_lines[j] = tokens.line();
              values.push_back(tokens.number("value " + std::to_string(j + 1) +
                                             " of array '" + name + "'"));
            }
          observations.values.push_back(std::move(values));
        }

      AssertThrow(!observations.values.empty(),
                  ExcFile(filename,
                          0,
                          "the file has no SCALARS array with data."));
      if (have_times)
        {
          AssertThrow(times.size() == observations.values.size(),
                      ExcFile(filename,
                              0,
                              "the file lists " + std::to_string(times.size()) +
                                " times (FIELD array TIME) but has " +
                                std::to_string(observations.values.size()) +
                                " SCALARS arrays: there must be one array "
                                "per time."));
          for (unsigned int i = 1; i < times.size(); ++i)
            AssertThrow(times[i] > times[i - 1],
                        ExcFile(filename,
                                0,
                                "the times of the TIME array must "
                                "increase."));
          observations.times = times;
          // Arrays of a time series are written as <field>_<index>.
          const auto underscore = observations.field_name.rfind('_');
          if (underscore != std::string::npos && underscore > 0)
            observations.field_name =
              observations.field_name.substr(0, underscore);
        }
      else
        AssertThrow(observations.values.size() == 1,
                    ExcFile(filename,
                            0,
                            "the file has " +
                              std::to_string(observations.values.size()) +
                              " SCALARS arrays but no TIME array: give the "
                              "times of a series as FIELD data."));
      return observations;
    }



    template <int dim>
    void
    write_vtk(const Observations<dim> &observations,
              const std::string &      filename)
    {
      observations.check_consistency();
      AssertThrow(observations.grid.has_value(),
                  ExcFile(filename,
                          0,
                          "the observations are not on a structured grid and "
                          "cannot be written as a .vtk grid; use .csv."));
      const StructuredGrid<dim> &grid = *observations.grid;

      write_file_atomically(filename, [&](std::ostream &out) {
        char       buffer[32];
        const auto number = [&](const double value) -> const char * {
          std::snprintf(buffer, sizeof(buffer), "%.17g", value);
          return buffer;
        };
        out << "# vtk DataFile Version 3.0\n"
            << "mollifem observations of " << observations.field_name << '\n'
            << "ASCII\nDATASET STRUCTURED_POINTS\nDIMENSIONS";
        for (unsigned int d = 0; d < 3; ++d)
          out << ' ' << (d < dim ? grid.n_points[d] : 1u);
        out << "\nORIGIN";
        for (unsigned int d = 0; d < 3; ++d)
          out << ' ' << number(d < dim ? grid.origin[d] : 0.);
        out << "\nSPACING";
        for (unsigned int d = 0; d < 3; ++d)
          out << ' ' << number(d < dim && grid.spacing[d] > 0 ? grid.spacing[d]
                                                               : 1.);
        out << '\n';
        if (observations.is_transient())
          {
            out << "FIELD FieldData 1\nTIME 1 " << observations.times.size()
                << " double\n";
            for (const double t : observations.times)
              out << number(t) << '\n';
          }
        out << "POINT_DATA " << grid.size() << '\n';
        for (unsigned int i = 0; i < observations.n_snapshots(); ++i)
          {
            out << "SCALARS " << observations.field_name;
            if (observations.is_transient())
              out << '_' << i;
            out << " double 1\nLOOKUP_TABLE default\n";
            for (const double v : observations.values[i])
              out << number(v) << '\n';
          }
      });
    }



#define MOLLIFEM_INSTANTIATE(dim)                               \
  template Observations<dim> read_vtk<dim>(const std::string &); \
  template void write_vtk<dim>(const Observations<dim> &, const std::string &);

    MOLLIFEM_INSTANTIATE(1)
    MOLLIFEM_INSTANTIATE(2)
    MOLLIFEM_INSTANTIATE(3)
#undef MOLLIFEM_INSTANTIATE
  } // namespace ObservationIO
} // namespace mollifem
