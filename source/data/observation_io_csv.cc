#include <mollifem/base/exceptions.h>
#include <mollifem/base/files.h>
#include <mollifem/data/observation_io.h>

#include "text_input.h"

#include <algorithm>
#include <cstdio>
#include <map>

namespace mollifem
{
  namespace ObservationIO
  {
    namespace
    {
      const char *const coordinate_names[3] = {"x", "y", "z"};

      std::string
      expected_header(const unsigned int dim, const bool values_required)
      {
        std::string header;
        for (unsigned int d = 0; d < dim; ++d)
          header += std::string(d > 0 ? "," : "") + coordinate_names[d];
        return header + "[,t]" + (values_required ? ",u" : "[,...]");
      }

      /// Where each kind of column sits in a row.
      struct Columns
      {
        std::vector<int> coordinate;
        int              time  = -1;
        int              value = -1;
        std::string      value_name;
        std::size_t      n_fields = 0;
      };

      template <int dim>
      Columns
      parse_header(const std::vector<std::string> &names,
                   const std::string &             file,
                   const unsigned int              line,
                   const bool                      values_required)
      {
        Columns columns;
        columns.coordinate.assign(dim, -1);
        columns.n_fields = names.size();
        const std::string expected =
          " (expected columns " + expected_header(dim, values_required) + ")";

        for (unsigned int i = 0; i < names.size(); ++i)
          {
            const std::string &name = names[i];
            AssertThrow(!name.empty(),
                        ExcFile(file,
                                line,
                                "column " + std::to_string(i + 1) +
                                  " of the header has no name" + expected +
                                  "."));
            int *slot = nullptr;
            for (unsigned int d = 0; d < dim; ++d)
              if (name == coordinate_names[d])
                slot = &columns.coordinate[d];
            if (name == "t")
              slot = &columns.time;
            if (slot != nullptr)
              {
                AssertThrow(*slot < 0,
                            ExcFile(file,
                                    line,
                                    "the header names column '" + name +
                                      "' twice."));
                *slot = i;
                continue;
              }
            if (!values_required)
              continue;
            AssertThrow(columns.value < 0,
                        ExcFile(file,
                                line,
                                "the header names two value columns, '" +
                                  columns.value_name + "' and '" + name +
                                  "'" + expected + "."));
            columns.value      = i;
            columns.value_name = name;
          }

        for (unsigned int d = 0; d < dim; ++d)
          AssertThrow(columns.coordinate[d] >= 0,
                      ExcFile(file,
                              line,
                              std::string("the header has no column '") +
                                coordinate_names[d] + "'" + expected + "."));
        AssertThrow(!values_required || columns.value >= 0,
                    ExcFile(file,
                            line,
                            "the header has no value column" + expected +
                              "."));
        return columns;
      }

      /// One data row.
      template <int dim>
      struct Row
      {
        Point<dim>   point;
        double       time  = 0.;
        double       value = 0.;
        unsigned int line  = 0;
      };
    } // namespace



    template <int dim>
    Observations<dim>
    read_csv(const std::string &filename, const bool values_required)
    {
      const internal::TextFile text(filename);

      Columns                columns;
      bool                   have_header = false;
      std::vector<Row<dim>>  rows;
      for (unsigned int i = 0; i < text.lines.size(); ++i)
        {
          const unsigned int line    = i + 1;
          const std::string  content = internal::trim(text.lines[i]);
          if (content.empty() || content[0] == '#')
            continue;

          const std::vector<std::string> fields =
            internal::split_fields(content);
          if (!have_header)
            {
              columns =
                parse_header<dim>(fields, filename, line, values_required);
              have_header = true;
              continue;
            }

          AssertThrow(fields.size() == columns.n_fields,
                      ExcFile(filename,
                              line,
                              "the row has " + std::to_string(fields.size()) +
                                " fields, the header names " +
                                std::to_string(columns.n_fields) +
                                " columns."));
          Row<dim> row;
          row.line = line;
          for (unsigned int d = 0; d < dim; ++d)
            row.point[d] =
              internal::parse_number(fields[columns.coordinate[d]],
                                     filename,
                                     line,
                                     std::string("column '") +
                                       coordinate_names[d] + "'");
          if (columns.time >= 0)
            row.time = internal::parse_number(fields[columns.time],
                                              filename,
                                              line,
                                              "column 't'");
          if (columns.value >= 0)
            row.value =
              internal::parse_number(fields[columns.value],
                                     filename,
                                     line,
                                     "column '" + columns.value_name + "'");
          rows.push_back(row);
        }

      AssertThrow(have_header,
                  ExcFile(filename,
                          0,
                          "the file is empty: it needs a header line such as "
                          "'" +
                            expected_header(dim, values_required) +
                            "' and at least one row of data."));
      AssertThrow(!rows.empty(),
                  ExcFile(filename, 0, "the file has a header but no data."));

      Observations<dim> observations;
      observations.source_file = filename;
      if (columns.value >= 0)
        observations.field_name = columns.value_name;

      if (columns.time < 0)
        {
          observations.values.resize(1);
          for (const auto &row : rows)
            {
              observations.points.push_back(row.point);
              observations.source_lines.push_back(row.line);
              observations.values[0].push_back(row.value);
            }
          return observations;
        }

      // Group the rows by time. The first time (in the order of the file)
      // defines the points; every other time must repeat them in order.
      std::map<double, std::vector<const Row<dim> *>> by_time;
      std::vector<double>                             time_order;
      for (const auto &row : rows)
        {
          auto &group = by_time[row.time];
          if (group.empty())
            time_order.push_back(row.time);
          group.push_back(&row);
        }
      const auto &reference = by_time[time_order.front()];
      for (const auto &[time, group] : by_time)
        {
          for (unsigned int j = 0; j < std::min(group.size(), reference.size());
               ++j)
            {
              const double scale =
                1. + reference[j]->point.norm() + group[j]->point.norm();
              AssertThrow(group[j]->point.distance(reference[j]->point) <=
                            1e-12 * scale,
                          ExcFile(filename,
                                  group[j]->line,
                                  "the points at t = " + internal::number_to_string(time) +
                                    " differ from those at t = " +
                                    internal::number_to_string(time_order.front()) +
                                    " (observation " + std::to_string(j + 1) +
                                    "): every time must list the same points "
                                    "in the same order."));
            }
          AssertThrow(group.size() == reference.size(),
                      ExcFile(filename,
                              group.back()->line,
                              "t = " + internal::number_to_string(time) + " has " +
                                std::to_string(group.size()) +
                                " observations, t = " +
                                internal::number_to_string(time_order.front()) + " has " +
                                std::to_string(reference.size()) +
                                ": every time must list the same points."));
        }

      for (const Row<dim> *row : reference)
        {
          observations.points.push_back(row->point);
          observations.source_lines.push_back(row->line);
        }
      for (const auto &[time, group] : by_time)
        {
          observations.times.push_back(time);
          observations.values.emplace_back();
          for (const Row<dim> *row : group)
            observations.values.back().push_back(row->value);
        }
      return observations;
    }



    template <int dim>
    void
    write_csv(const Observations<dim> &observations,
              const std::string &      filename)
    {
      observations.check_consistency();
      write_file_atomically(filename, [&](std::ostream &out) {
        for (unsigned int d = 0; d < dim; ++d)
          out << coordinate_names[d] << ',';
        if (observations.is_transient())
          out << "t,";
        out << observations.field_name << '\n';

        // 17 significant digits: a double survives the round trip exactly.
        char buffer[32];
        const auto write_number = [&](const double value, const char end) {
          std::snprintf(buffer, sizeof(buffer), "%.17g", value);
          out << buffer << end;
        };
        for (unsigned int i = 0; i < observations.n_snapshots(); ++i)
          for (unsigned int j = 0; j < observations.n_points(); ++j)
            {
              for (unsigned int d = 0; d < dim; ++d)
                write_number(observations.points[j][d], ',');
              if (observations.is_transient())
                write_number(observations.times[i], ',');
              write_number(observations.values[i][j], '\n');
            }
      });
    }



#define MOLLIFEM_INSTANTIATE(dim)                                            \
  template Observations<dim> read_csv<dim>(const std::string &, const bool); \
  template void write_csv<dim>(const Observations<dim> &, const std::string &);

    MOLLIFEM_INSTANTIATE(1)
    MOLLIFEM_INSTANTIATE(2)
    MOLLIFEM_INSTANTIATE(3)
#undef MOLLIFEM_INSTANTIATE
  } // namespace ObservationIO
} // namespace mollifem
