#include <deal.II/base/utilities.h>

#include <mollifem/base/exceptions.h>
#include <mollifem/base/files.h>
#include <mollifem/base/format.h>
#include <mollifem/base/parameters.h>
#include <mollifem/study/driver.h>
#include <mollifem/study/study.h>
#include <mollifem/study/sweep.h>

#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <sstream>

namespace mollifem
{
  namespace
  {
    /// @p text without leading and trailing white space.
    std::string
    trim(const std::string &text)
    {
      const auto first = text.find_first_not_of(" \t\n");
      if (first == std::string::npos)
        return "";
      return text.substr(first, text.find_last_not_of(" \t\n") - first + 1);
    }

    /// The non-empty, trimmed pieces of @p text between @p separator.
    std::vector<std::string>
    split(const std::string &text, const char separator)
    {
      std::vector<std::string> pieces;
      std::istringstream       in(text);
      std::string              piece;
      while (std::getline(in, piece, separator))
        if (!trim(piece).empty())
          pieces.push_back(trim(piece));
      return pieces;
    }
  } // namespace



  void
  SweepParameters::declare_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Study");
    {
      prm.declare_entry(
        "Parameter",
        "",
        Patterns::Anything(),
        "A validation study: the path of the parameter to sweep, with its "
        "subsections, for example 'Mesh/Initial global refinement', "
        "'Observations/Noise level', 'Mollifier/Radius', 'Mollifier/Kernel', "
        "'Coefficient/Representation' or 'Inverse problem/Stage 2/"
        "Regularization weight'. The file is run once per value (and "
        "series), each case in its own directory case_1, case_2, ... under "
        "Output/Directory, which then receives study.csv, study.md and the "
        "plots study_error.png and study_fields.png. Empty: no study (unless "
        "Series are given), one run. 'Dimension' and 'Output/Directory' "
        "cannot be swept.");
      prm.declare_entry("Values",
                        "",
                        Patterns::Anything(),
                        "The values of the swept parameter, separated by "
                        "';', for example '3; 4; 5; 6'.");
      prm.declare_entry(
        "Series",
        "",
        Patterns::Anything(),
        "Series of cases, separated by ';', each 'label: path = value, path = "
        "value' (settings applied on top of the file, for example 'uniform: ; "
        "adaptive: Inverse problem/Stage 2/Adaptive cycles = 4, Mesh/Initial "
        "global refinement = 4'). Every series runs every value of the swept "
        "parameter, except a series that sets the swept parameter itself, "
        "which runs once. The plots draw one line per series. Values in "
        "series cannot contain ',' or ';'. Empty: one series.");
      prm.declare_entry("Field grid points",
                        "101",
                        Patterns::Integer(2, 2001),
                        "Points per direction of the grid on which each case "
                        "writes its recovered coefficient and the truth "
                        "(coefficient_grid.dat, 1D and 2D), for the plot of "
                        "the recovered fields.");
      prm.declare_entry(
        "Reference",
        "truth",
        Patterns::Selection("truth|finest"),
        "What the observed rates, the error plot and the comparison of the "
        "series measure the recovered coefficient against. 'truth': the "
        "ground truth (relative L2 error). 'finest': the coefficient of the "
        "case or adaptive cycle with the most coefficient unknowns, on the "
        "grid of 'Field grid points' (relative l2 difference, a column of its "
        "own in study.csv and study.md). With noisy data and a fixed weight "
        "the recovered coefficient converges under refinement to the "
        "minimizer of the continuous problem, not to the truth: its error "
        "against the truth stops falling where noise and regularization "
        "dominate, while the difference to the finest case shows the "
        "convergence of the discretization. 1D and 2D.");
      prm.declare_entry("Plots",
                        "true",
                        Patterns::Bool(),
                        "Make the PNG plots with gnuplot (Debian package "
                        "gnuplot-nox). Its scripts study_error.gp and "
                        "study_fields.gp are written either way.");
    }
    prm.leave_subsection();
  }



  void
  SweepParameters::parse_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Study");
    {
      parameter   = trim(prm.get("Parameter"));
      values      = split(prm.get("Values"), ';');
      grid_points = prm.get_integer("Field grid points");
      plots       = prm.get_bool("Plots");
      reference   = prm.get("Reference");
      series.clear();
      for (const std::string &entry : split(prm.get("Series"), ';'))
        {
          const auto colon = entry.find(':');
          AssertThrow(colon != std::string::npos && !trim(entry.substr(0, colon)).empty(),
                      ExcParameter("Study/Series",
                                   "a series reads 'label: path = value, ...', "
                                   "not '" + entry + "'."));
          Series s;
          s.label = trim(entry.substr(0, colon));
          for (const std::string &setting : split(entry.substr(colon + 1), ','))
            {
              const auto equals = setting.find('=');
              AssertThrow(equals != std::string::npos &&
                            !trim(setting.substr(0, equals)).empty(),
                          ExcParameter("Study/Series",
                                       "series '" + s.label +
                                         "': a setting reads 'path = value', "
                                         "not '" + setting + "'."));
              s.settings.emplace_back(trim(setting.substr(0, equals)),
                                      trim(setting.substr(equals + 1)));
            }
          for (const Series &other : series)
            AssertThrow(other.label != s.label,
                        ExcParameter("Study/Series",
                                     "two series are labelled '" + s.label +
                                       "'."));
          series.push_back(s);
        }
    }
    prm.leave_subsection();

    AssertThrow(parameter.empty() == values.empty(),
                ExcParameter(parameter.empty() ? "Study/Values" : "Study/Parameter",
                             parameter.empty() ?
                               "values need the 'Parameter' they are for." :
                               "a swept parameter needs its 'Values'."));
    for (const std::string forbidden : {"Dimension", "Output/Directory"})
      {
        AssertThrow(parameter != forbidden,
                    ExcParameter("Study/Parameter",
                                 "'" + forbidden + "' cannot be swept."));
        for (const Series &s : series)
          for (const auto &setting : s.settings)
            AssertThrow(setting.first != forbidden,
                        ExcParameter("Study/Series",
                                     "series '" + s.label + "': '" + forbidden +
                                       "' cannot be set per series."));
      }
    if (series.empty() && !parameter.empty())
      series.push_back({"", {}});
  }



  bool
  SweepParameters::active() const
  {
    return !series.empty();
  }



  void
  set_by_path(ParameterHandler & prm,
              const std::string &path,
              const std::string &value,
              const std::string &where)
  {
    const std::vector<std::string> parts = split(path, '/');
    AssertThrow(!parts.empty(),
                ExcParameter(where, "an empty parameter path."));
    unsigned int entered = 0;
    try
      {
        for (unsigned int i = 0; i + 1 < parts.size(); ++i, ++entered)
          prm.enter_subsection(parts[i]);
        prm.set(parts.back(), value);
      }
    catch (const std::exception &e)
      {
        for (; entered > 0; --entered)
          prm.leave_subsection();
        AssertThrow(false,
                    ExcParameter(where,
                                 "cannot set '" + path + " = " + value +
                                   "': no such parameter, or a value it does "
                                   "not take (see mollifem --print-parameters)."));
      }
    for (; entered > 0; --entered)
      prm.leave_subsection();
  }



  namespace
  {
    /// One case of a study.
    struct Case
    {
      std::string                                      series;
      /// The swept parameter's value ("" without one).
      std::string                                      value;
      std::vector<std::pair<std::string, std::string>> settings;
      std::string                                      directory;

      std::string
      label() const
      {
        std::string text = series;
        if (!value.empty())
          text += (text.empty() ? "" : ", ") + value;
        return text;
      }
    };

    /// One line of study.csv: a case, or one adaptive cycle of it.
    struct Row
    {
      unsigned int case_number;
      std::string  series;
      std::string  value;
      unsigned int cycle;
      double       active_cells, state_unknowns, parameter_unknowns;
      double       correlation, correlation_interior;
      double       error, error_interior;
      double       misfit, iterations;
      double       seconds, memory;
      /// Its coefficient_grid file, relative to the study's directory.
      std::string  grid_file;
      /// The relative l2 difference of its grid field to the reference's
      /// (Study/Reference = finest), else NaN.
      double       reference_difference = NAN;
      /// What rates, plots and comparisons use: the error against the
      /// truth or the difference to the reference.
      double       measure = NAN;
    };

    using Tree = boost::property_tree::ptree;

    double
    number(const Tree &tree, const std::string &path, const double fallback = NAN)
    {
      const auto value =
        tree.get_optional<double>(Tree::path_type(path, '/'));
      return value ? *value : fallback;
    }

    /// The rows of one case's summary.json.
    std::vector<Row>
    rows_of(const Case &c, const unsigned int number_of_case, const Tree &summary)
    {
      // Stage 2's scores if it ran, else stage 1's.
      const std::string stage =
        summary.get_child_optional("stage 2") ? "stage 2" : "stage 1";
      Row base;
      base.case_number        = number_of_case;
      base.series             = c.series;
      base.value              = c.value;
      base.cycle              = 0;
      base.active_cells       = number(summary, "mesh/active cells");
      base.state_unknowns     = number(summary, "mesh/state unknowns");
      base.parameter_unknowns = number(summary, stage + "/unknowns");
      base.correlation        = number(summary, stage + "/correlation");
      base.correlation_interior = number(summary, stage + "/correlation interior");
      base.error              = number(summary, stage + "/relative L2 error");
      base.error_interior = number(summary, stage + "/relative L2 error interior");
      base.misfit         = number(summary, stage + "/misfit");
      base.iterations     = number(summary, stage + "/iterations");
      const std::string case_directory = "case_" + std::to_string(number_of_case);
      base.grid_file = join_path(case_directory, "coefficient_grid.dat");

      // Wall time and peak memory up to (and including) each stage.
      std::vector<std::pair<std::string, std::pair<double, double>>> until;
      double seconds = 0., memory = 0.;
      if (const auto stages = summary.get_child_optional("stages"))
        for (const auto &[name, entry] : *stages)
          {
            seconds += entry.get<double>("wall time [s]", 0.);
            memory = std::max(memory, entry.get<double>("peak memory per rank [MiB]", 0.));
            until.push_back({name, {seconds, memory}});
          }
      base.seconds = seconds;
      base.memory  = memory;

      const auto cycles = summary.get_child_optional("stage 2 cycles");
      if (!cycles)
        return {base};
      std::vector<Row> rows;
      for (const auto &[name, entry] : *cycles)
        {
          Row row                = base;
          row.cycle              = std::stoi(name);
          row.grid_file          = join_path(case_directory,
                                    "coefficient_grid_cycle_" + name + ".dat");
          row.active_cells       = number(entry, "active cells");
          row.state_unknowns     = number(entry, "state unknowns");
          row.parameter_unknowns = number(entry, "parameter unknowns");
          row.correlation        = number(entry, "correlation");
          row.correlation_interior = number(entry, "correlation interior");
          row.error              = number(entry, "relative L2 error");
          row.error_interior     = number(entry, "relative L2 error interior");
          row.misfit             = number(entry, "misfit");
          row.iterations         = number(entry, "iterations");
          const std::string stage_name =
            row.cycle == 0 ? "stage 2" : "stage 2 cycle " + name;
          for (const auto &[stage_until, figures] : until)
            if (stage_until == stage_name)
              {
                row.seconds = figures.first;
                row.memory  = figures.second;
              }
          rows.push_back(row);
        }
      return rows;
    }

    std::string
    format_number(const double value, const int digits = 4)
    {
      if (std::isnan(value))
        return "";
      std::ostringstream out;
      out << std::setprecision(digits) << value;
      return out.str();
    }

    /// The least-squares slope of log(error) over log(unknowns), or NaN.
    double
    fitted_slope(const std::vector<const Row *> &rows)
    {
      double sx = 0., sy = 0., sxx = 0., sxy = 0.;
      unsigned int n = 0;
      for (const Row *row : rows)
        if (row->measure > 0. && row->parameter_unknowns > 0.)
          {
            const double x = std::log(row->parameter_unknowns);
            const double y = std::log(row->measure);
            sx += x, sy += y, sxx += x * x, sxy += x * y, ++n;
          }
      const double denominator = n * sxx - sx * sx;
      if (n < 2 || std::abs(denominator) < 1e-300)
        return NAN;
      return (n * sxy - sx * sy) / denominator;
    }

    /// The fewest unknowns with which the rows of a series (in order of
    /// their unknowns) reach @p error: those of the first row at or below
    /// it, interpolated in log-log from the row before; NaN if none does.
    double
    unknowns_for_error(std::vector<const Row *> rows, const double error)
    {
      std::sort(rows.begin(), rows.end(), [](const Row *a, const Row *b) {
        return a->parameter_unknowns < b->parameter_unknowns;
      });
      for (unsigned int i = 0; i < rows.size(); ++i)
        if (rows[i]->measure <= error)
          {
            if (i == 0)
              return rows[0]->parameter_unknowns;
            const double e0 = rows[i - 1]->measure, e1 = rows[i]->measure;
            const double t  = std::log(error / e0) / std::log(e1 / e0);
            return std::exp(std::log(rows[i - 1]->parameter_unknowns) +
                            t * std::log(rows[i]->parameter_unknowns /
                                         rows[i - 1]->parameter_unknowns));
          }
      return NAN;
    }

    /// The coefficient column of a coefficient_grid file (NaN where the
    /// point was outside the mesh).
    std::vector<double>
    read_grid_coefficient(const std::string &filename)
    {
      std::ifstream in(filename);
      AssertThrow(in, ExcFile(filename, 0, "cannot be read."));
      std::vector<double> values;
      std::string         line;
      while (std::getline(in, line))
        {
          if (trim(line).empty() || line[0] == '#')
            continue;
          const std::vector<std::string> fields = split(line, ' ');
          AssertThrow(fields.size() >= 2,
                      ExcFile(filename, values.size() + 1, "is not a grid line."));
          // x [y] q q_true: the coefficient is the second last.
          const std::string &q = fields[fields.size() - 2];
          values.push_back(q == "NaN" || q == "nan" ? NAN : std::stod(q));
        }
      return values;
    }

    /// |a - b| / |b| over the grid points where both are defined.
    double
    relative_difference(const std::vector<double> &a, const std::vector<double> &b)
    {
      if (a.size() != b.size())
        return NAN;
      double difference = 0., norm = 0.;
      for (unsigned int i = 0; i < a.size(); ++i)
        if (std::isfinite(a[i]) && std::isfinite(b[i]))
          {
            difference += (a[i] - b[i]) * (a[i] - b[i]);
            norm += b[i] * b[i];
          }
      return norm > 0. ? std::sqrt(difference / norm) : NAN;
    }

    /// study.csv, the per-series data and gnuplot scripts, the plots and
    /// study.md (rank 0).
    void
    write_study_results(const unsigned int       dim,
                        const std::string &      filename,
                        const SweepParameters &  parameters,
                        const std::vector<Case> &cases,
                        const std::string &      directory)
    {
      std::vector<Row> rows;
      for (unsigned int k = 0; k < cases.size(); ++k)
        {
          Tree summary;
          boost::property_tree::read_json(join_path(cases[k].directory,
                                                    "summary.json"),
                                          summary);
          for (const Row &row : rows_of(cases[k], k + 1, summary))
            rows.push_back(row);
        }
      const bool has_cycles =
        std::any_of(rows.begin(), rows.end(), [](const Row &r) { return r.cycle > 0; });
      const bool has_truth = std::any_of(rows.begin(), rows.end(), [](const Row &r) {
        return !std::isnan(r.error);
      });

      // What rates, plots and comparisons measure: the error against the
      // truth, or the difference to the finest line's field.
      const bool   finest    = (parameters.reference == "finest");
      const Row *  reference = nullptr;
      if (finest)
        {
          for (const Row &r : rows)
            if (reference == nullptr ||
                r.parameter_unknowns >= reference->parameter_unknowns)
              reference = &r;
          const std::vector<double> reference_values =
            read_grid_coefficient(join_path(directory, reference->grid_file));
          for (Row &r : rows)
            r.reference_difference = relative_difference(
              read_grid_coefficient(join_path(directory, r.grid_file)),
              reference_values);
        }
      for (Row &r : rows)
        r.measure = finest ? r.reference_difference : r.error;
      const bool has_measure = std::any_of(rows.begin(), rows.end(), [](const Row &r) {
        return !std::isnan(r.measure);
      });
      const std::string reference_name =
        finest ? "case " + std::to_string(reference->case_number) +
                   (reference->cycle > 0 ? " cycle " + std::to_string(reference->cycle) : "") :
                 "";

      std::ostringstream csv;
      csv << "case,series,value,cycle,active_cells,state_unknowns,"
             "parameter_unknowns,correlation,correlation_interior,"
             "relative_L2_error,relative_L2_error_interior,misfit,iterations,"
             "wall_time_s,peak_memory_MiB"
          << (finest ? ",relative_l2_difference_to_finest" : "") << "\n";
      const auto quoted = [](const std::string &text) {
        std::string q = "\"";
        for (const char c : text)
          q += (c == '"' ? std::string("\"\"") : std::string(1, c));
        return q + "\"";
      };
      for (const Row &r : rows)
        csv << r.case_number << ',' << quoted(r.series) << ',' << quoted(r.value)
            << ',' << r.cycle << ',' << r.active_cells << ','
            << r.state_unknowns << ',' << r.parameter_unknowns << ','
            << format_number(r.correlation, 8) << ','
            << format_number(r.correlation_interior, 8) << ','
            << format_number(r.error, 8) << ','
            << format_number(r.error_interior, 8) << ','
            << format_number(r.misfit, 8) << ',' << r.iterations << ','
            << format_number(r.seconds, 4) << ',' << format_number(r.memory, 4)
            << (finest ? "," + format_number(r.reference_difference, 8) : "")
            << '\n';
      write_file_atomically(join_path(directory, "study.csv"),
                            [&](std::ostream &out) { out << csv.str(); });

      // Per series: its rows, in the order they ran.
      std::vector<std::pair<std::string, std::vector<const Row *>>> series;
      for (const SweepParameters::Series &s : parameters.series)
        {
          series.push_back({s.label, {}});
          for (const Row &r : rows)
            if (r.series == s.label && &r != reference)
              series.back().second.push_back(&r);
        }
      const auto series_name = [&](const unsigned int i) {
        return series[i].first.empty() ? std::string("cases") : series[i].first;
      };

      // The error plot: one line per series, whole domain and interior.
      std::ostringstream error_plot;
      error_plot << "# gnuplot script of mollifem's study of " << filename
                 << "\nset terminal pngcairo size 900,700 noenhanced font \",11\"\n"
                    "set output \"study_error.png\"\n"
                    "set logscale xy\nset grid\nset key below\n"
                    "set xlabel \"unknowns of the coefficient\"\n"
                 << (finest ? "set ylabel \"relative l2 difference to the finest case\"\n"
                              "set title \"Recovered coefficient against " +
                                reference_name :
                              "set ylabel \"relative L2 error of the coefficient\"\n"
                              "set title \"Recovered coefficient against the truth")
                 << (parameters.parameter.empty() ? std::string() :
                                                    ": " + parameters.parameter + " swept")
                 << (has_cycles ? ", adaptive cycles" : "") << "\"\nplot";
      for (unsigned int i = 0; i < series.size(); ++i)
        {
          std::ostringstream data;
          data << "# unknowns " << (finest ? "difference" : "error")
               << " error_interior\n";
          for (const Row *r : series[i].second)
            data << r->parameter_unknowns << ' ' << format_number(r->measure, 8)
                 << ' ' << format_number(r->error_interior, 8) << '\n';
          const std::string data_file = "study_series_" + std::to_string(i + 1) + ".dat";
          write_file_atomically(join_path(directory, data_file),
                                [&](std::ostream &out) { out << data.str(); });
          error_plot << (i > 0 ? ", \\\n    " : " ") << '"' << data_file
                     << "\" using 1:2 with linespoints lw 2 pt 7 lc " << i + 1
                     << " title \"" << series_name(i) << '"';
          if (!finest)
            error_plot << ", \\\n    \"" << data_file
                       << "\" using 1:3 with linespoints dt 2 pt 6 lc " << i + 1
                       << " title \"" << series_name(i) << " (interior)\"";
        }
      error_plot << '\n';
      write_file_atomically(join_path(directory, "study_error.gp"),
                            [&](std::ostream &out) { out << error_plot.str(); });

      // The fields: the truth and every case's final field (the last case of
      // every series if there are more than eight).
      std::vector<unsigned int> shown;
      for (unsigned int k = 0; k < cases.size(); ++k)
        shown.push_back(k);
      if (shown.size() > 8)
        {
          shown.clear();
          for (const SweepParameters::Series &s : parameters.series)
            for (unsigned int k = cases.size(); k-- > 0;)
              if (cases[k].series == s.label)
                {
                  shown.push_back(k);
                  break;
                }
        }
      const auto grid_file = [&](const unsigned int k) {
        return join_path("case_" + std::to_string(k + 1), "coefficient_grid.dat");
      };
      std::ostringstream field_plot;
      field_plot << "# gnuplot script of mollifem's study of " << filename << '\n';
      if (dim == 2)
        {
          const unsigned int panels  = shown.size() + (has_truth ? 1 : 0);
          const unsigned int columns = std::min(3u, panels);
          const unsigned int lines   = (panels + columns - 1) / columns;
          field_plot << "set terminal pngcairo size " << 420 * columns << ','
                     << 380 * lines + 40
                     << " noenhanced font \",10\"\nset output \"study_fields.png\"\n"
                        "set view map\nset size ratio -1\nunset key\n"
                        "set palette rgb 33,13,10\nset xlabel \"x\"\nset ylabel \"y\"\n"
                        "set multiplot layout "
                     << lines << ',' << columns
                     << " title \"Recovered coefficient of each case\"\n";
          // One colour scale for all panels: the truth's range.
          if (has_truth)
            field_plot << "stats \"" << grid_file(shown.front())
                       << "\" using 4 nooutput\nset cbrange [STATS_min:STATS_max]\n";
          if (has_truth)
            field_plot << "set title \"ground truth\"\nsplot \"" << grid_file(shown.front())
                       << "\" using 1:2:4 with pm3d\n";
          for (const unsigned int k : shown)
            field_plot << "set title \"case " << k + 1 << ": " << cases[k].label()
                       << "\"\nsplot \"" << grid_file(k) << "\" using 1:2:3 with pm3d\n";
          field_plot << "unset multiplot\n";
        }
      else if (dim == 1)
        {
          field_plot << "set terminal pngcairo size 900,650 noenhanced font \",11\"\n"
                        "set output \"study_fields.png\"\nset grid\n"
                        "set key below\nset xlabel \"x\"\n"
                        "set ylabel \"coefficient\"\n"
                        "set title \"Recovered coefficient of each case\"\nplot";
          bool first = true;
          if (has_truth)
            {
              field_plot << " \"" << grid_file(shown.front())
                         << "\" using 1:3 with lines lw 3 lc black title \"ground truth\"";
              first = false;
            }
          for (const unsigned int k : shown)
            {
              field_plot << (first ? " " : ", \\\n    ") << '"' << grid_file(k)
                         << "\" using 1:2 with lines lw 2 title \"case " << k + 1
                         << ": " << cases[k].label() << '"';
              first = false;
            }
          field_plot << '\n';
        }
      if (dim < 3)
        write_file_atomically(join_path(directory, "study_fields.gp"),
                              [&](std::ostream &out) { out << field_plot.str(); });

      std::string plot_note;
      if (parameters.plots)
        {
          if (std::system("command -v gnuplot > /dev/null 2>&1") != 0)
            plot_note = "gnuplot was not found (Debian package gnuplot-nox): "
                        "run the scripts study_*.gp with it to make the plots.";
          else
            for (const std::string script : {"study_error.gp", "study_fields.gp"})
              if (dim < 3 || script == "study_error.gp")
                {
                  const std::string command = "cd '" + directory +
                                              "' && gnuplot " + script +
                                              " > /dev/null 2>&1";
                  if (std::system(command.c_str()) != 0)
                    plot_note += "gnuplot failed on " + script + ". ";
                }
        }

      // The report.
      std::ostringstream md;
      md << "# Validation study\n\nParameter file `" << filename << "`";
      if (!parameters.parameter.empty())
        {
          md << "; swept: `" << parameters.parameter << "` =";
          for (unsigned int i = 0; i < parameters.values.size(); ++i)
            md << (i > 0 ? "," : "") << " `" << parameters.values[i] << '`';
        }
      md << ".\n";
      for (const SweepParameters::Series &s : parameters.series)
        if (!s.label.empty())
          {
            md << "\n- series **" << s.label << "**:";
            if (s.settings.empty())
              md << " the file as it is";
            for (unsigned int i = 0; i < s.settings.size(); ++i)
              md << (i > 0 ? "," : "") << " `" << s.settings[i].first << " = "
                 << s.settings[i].second << '`';
          }
      md << "\n\n| case | series | value | cycle | cells | state unknowns | "
            "coefficient unknowns | correlation | rel. L2 error | interior "
            "error | misfit | iterations | time [s] | memory [MiB] |"
         << (finest ? " difference to finest |" : "")
         << "\n|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
         << (finest ? "---:|" : "") << "\n";
      for (const Row &r : rows)
        md << "| " << r.case_number << " | " << r.series << " | " << r.value
           << " | " << r.cycle << " | " << r.active_cells << " | "
           << r.state_unknowns << " | " << r.parameter_unknowns << " | "
           << format_number(r.correlation) << " | " << format_number(r.error)
           << " | " << format_number(r.error_interior) << " | "
           << format_number(r.misfit) << " | " << r.iterations << " | "
           << format_number(r.seconds, 3) << " | " << format_number(r.memory, 4)
           << " |"
           << (finest ? " " + format_number(r.reference_difference) + " |" : "")
           << "\n";

      if (has_measure)
        {
          md << "\n## Observed rates\n\n";
          if (finest)
            md << "Measured against the recovered coefficient of the line with "
                  "the most unknowns ("
               << reference_name
               << "), on the grid of the plots: the convergence of the "
                  "discretization, which the error against the truth hides "
                  "once noise and regularization dominate it. ";
          md << "With N the unknowns of the coefficient "
                "and h ~ "
             << (dim == 1 ? std::string("1/N") :
                            "N^(-1/" + std::to_string(dim) + ")")
             << " the mesh size, the rate r of the error ~ h^r between "
                       "consecutive lines of a series is -"
             << dim
             << " log(e2/e1) / log(N2/N1); the fitted rate is that of the "
                "least-squares line through all of them.\n";
          for (unsigned int i = 0; i < series.size(); ++i)
            {
              const auto &lines = series[i].second;
              md << "\n**" << series_name(i) << "**: ";
              if (lines.size() < 2)
                {
                  md << "one case, no rate.\n";
                  continue;
                }
              for (unsigned int j = 0; j + 1 < lines.size(); ++j)
                {
                  const double r = -double(dim) *
                                   std::log(lines[j + 1]->measure / lines[j]->measure) /
                                   std::log(lines[j + 1]->parameter_unknowns /
                                            lines[j]->parameter_unknowns);
                  md << (j > 0 ? ", " : "") << lines[j]->parameter_unknowns
                     << " -> " << lines[j + 1]->parameter_unknowns << ": "
                     << format_number(r, 2);
                }
              md << "; fitted rate " << format_number(-double(dim) * fitted_slope(lines), 2)
                 << ".\n";
            }
          if (series.size() > 1)
            {
              md << "\n## The series compared\n\nFor the last line of each "
                    "series, the fewest unknowns with which each other series "
                    "reaches the same "
                 << (finest ? "difference to " + reference_name : std::string("error"))
                 << " (its first line at or below it, "
                    "interpolated in log-log from the line before):\n\n";
              for (unsigned int i = 0; i < series.size(); ++i)
                {
                  if (series[i].second.empty())
                    continue;
                  const Row &last = *series[i].second.back();
                  md << "- " << series_name(i) << ": "
                     << (finest ? "difference " : "error ")
                     << format_number(last.measure, 3) << " with "
                     << last.parameter_unknowns << " unknowns;";
                  for (unsigned int j = 0; j < series.size(); ++j)
                    if (j != i)
                      {
                        const double n = unknowns_for_error(series[j].second, last.measure);
                        md << ' ' << series_name(j) << ' '
                           << (std::isnan(n) ? std::string("does not reach it") :
                                               "needs " + format_number(n, 3) + " (" +
                                                 format_number(n / last.parameter_unknowns, 3) +
                                                 " times as many)")
                           << ';';
                      }
                  md << '\n';
                }
            }
        }
      md << "\n## Plots\n\n";
      if (!plot_note.empty())
        md << plot_note << "\n\n";
      md << "![error against unknowns](study_error.png)\n";
      if (dim < 3)
        md << "\n![recovered fields](study_fields.png)\n";
      md << "\nThe table is study.csv; each case's run is in its directory "
            "(summary.json, stage_2.pvd, ...).\n";
      write_file_atomically(join_path(directory, "study.md"),
                            [&](std::ostream &out) { out << md.str(); });
      std::cout << "Study: " << join_path(directory, "study.csv") << ", "
                << join_path(directory, "study.md") << ", plots "
                << join_path(directory, "study_error.png")
                << (dim < 3 ? ", " + join_path(directory, "study_fields.png") : "")
                << std::endl;
      if (!plot_note.empty())
        std::cout << "  " << plot_note << std::endl;
    }
  } // namespace



  template <int dim>
  void
  run_sweep(const std::string &    filename,
            const SweepParameters &parameters,
            const bool             resume,
            const MPI_Comm         communicator)
  {
    ConditionalOStream pcout(std::cout,
                             Utilities::MPI::this_mpi_process(communicator) == 0);
    AssertThrow(parameters.reference == "truth" || dim < 3,
                ExcParameter("Study/Reference",
                             "'finest' compares the fields on the grid of "
                             "'Field grid points', which is written in 1D "
                             "and 2D only."));
    const auto read_file = [&]() {
      auto prm = std::make_unique<ParameterHandler>();
      declare_all_parameters(*prm, dim);
      Parameters::parse_file(*prm, filename);
      return prm;
    };
    std::string directory;
    {
      const auto prm = read_file();
      prm->enter_subsection("Output");
      directory = prm->get("Directory");
      prm->leave_subsection();
    }

    std::vector<Case> cases;
    for (const SweepParameters::Series &s : parameters.series)
      {
        const bool sets_swept =
          std::any_of(s.settings.begin(), s.settings.end(), [&](const auto &setting) {
            return setting.first == parameters.parameter;
          });
        const std::vector<std::string> values =
          (parameters.parameter.empty() || sets_swept) ? std::vector<std::string>{""} :
                                                         parameters.values;
        for (const std::string &value : values)
          {
            Case c{s.label, value, s.settings, ""};
            if (sets_swept)
              for (const auto &setting : s.settings)
                if (setting.first == parameters.parameter)
                  c.value = setting.second;
            c.directory = join_path(directory, "case_" + std::to_string(cases.size() + 1));
            cases.push_back(c);
          }
      }

    // Every case's parameters, checked before the first case runs.
    const auto case_parameters = [&](const Case &c) {
      auto prm = read_file();
      for (const auto &[path, value] : c.settings)
        set_by_path(*prm, path, value, "Study/Series");
      if (!parameters.parameter.empty())
        set_by_path(*prm, parameters.parameter, c.value, "Study/Values");
      set_by_path(*prm, "Output/Directory", c.directory, "Study");
      if (dim < 3)
        set_by_path(*prm,
                    "Output/Coefficient grid points",
                    std::to_string(parameters.grid_points),
                    "Study/Field grid points");
      return prm;
    };
    for (unsigned int k = 0; k < cases.size(); ++k)
      {
        try
          {
            auto       prm = case_parameters(cases[k]);
            Study<dim> check(*prm, communicator);
          }
        catch (const std::exception &e)
          {
            AssertThrow(false,
                        ExcMessage("Study case " + std::to_string(k + 1) +
                                   " of " + std::to_string(cases.size()) +
                                   " (" + cases[k].label() +
                                   "): " + user_message(e)));
          }
      }

    pcout << "Study: " << cases.size() << " cases";
    if (!parameters.parameter.empty())
      pcout << ", " << parameters.parameter << " swept";
    pcout << "; results in " << directory << std::endl;
    for (unsigned int k = 0; k < cases.size(); ++k)
      {
        pcout << std::endl
              << "==== Study case " << k + 1 << " of " << cases.size() << ": "
              << cases[k].label() << " (" << cases[k].directory << ")"
              << std::endl;
        const bool finished =
          std::filesystem::exists(join_path(cases[k].directory, "summary.json"));
        if (resume && finished)
          {
            pcout << "(finished before: not run again)" << std::endl;
            continue;
          }
        auto       prm = case_parameters(cases[k]);
        Study<dim> study(*prm, communicator);
        study.set_resume(
          resume &&
          std::filesystem::exists(join_path(cases[k].directory, "checkpoint.txt")));
        study.prepare();
        study.run();
      }

    // Rank 0 writes the study's files; a failure stops every rank.
    std::string failure;
    if (Utilities::MPI::this_mpi_process(communicator) == 0)
      try
        {
          write_study_results(dim, filename, parameters, cases, directory);
        }
      catch (const std::exception &e)
        {
          failure = user_message(e);
          if (failure.empty())
            failure = "failed.";
        }
    failure = Utilities::MPI::broadcast(communicator, failure, 0);
    AssertThrow(failure.empty(),
                ExcMessage("Study: writing the results " + failure));
  }



  template void
  run_sweep<1>(const std::string &,
               const SweepParameters &,
               const bool,
               const MPI_Comm);
  template void
  run_sweep<2>(const std::string &,
               const SweepParameters &,
               const bool,
               const MPI_Comm);
  template void
  run_sweep<3>(const std::string &,
               const SweepParameters &,
               const bool,
               const MPI_Comm);
} // namespace mollifem
