// A validation study (subsection Study) through the driver: card B1 (the
// Langevin equation, forcing lambda(t) on a mesh of [0, 10], 0.1% noise on
// 1001 samples made on the mesh of level 10 for every case), stage 2 with a
// small fixed weight. Series "uniform" sweeps Mesh/Initial global refinement
// over 3, 4, 5, 6; series "adaptive" starts at 3 and runs 3 adaptive cycles
// (which, in 1D, also exercises the transfer on a shared triangulation).
// Checks: study.csv has one line per case and per cycle; the uniform error
// falls at every refinement and the fitted rate in study.md is the
// least-squares rate recomputed here from study.csv, between 1 and 2.5
// (linear elements: the error of lambda ~ h^2 until the noise floor); the
// adaptive error falls in every cycle; study_error.png and study_fields.png
// are PNG images; study.md has its sections. Same on 1 and 2 ranks.
// Then the same study with Reference = finest: the uniform mesh of level 6
// is the reference (difference 0), the differences of the other uniform
// cases fall with refinement, each equals the relative l2 difference
// recomputed here from the cases' coefficient_grid files, and the cycles
// are measured from their own coefficient_grid_cycle_c.dat.

#include <deal.II/base/exceptions.h>

#include <cmath>
#include <fstream>
#include <map>

#include "../tests.h"
#include "run_prm.h"

using namespace dealii;
using namespace mollifem;

/// Whether @p file starts with the PNG signature and is not tiny.
bool
is_png(const std::string &file)
{
  std::ifstream in(file, std::ios::binary);
  char          signature[8] = {};
  in.read(signature, 8);
  const bool png = in.gcount() == 8 && signature[1] == 'P' &&
                   signature[2] == 'N' && signature[3] == 'G';
  in.seekg(0, std::ios::end);
  return png && in.tellg() > 5000;
}

/// The comma-separated fields of a line of study.csv.
std::vector<std::string>
csv_fields(const std::string &line)
{
  std::vector<std::string> fields;
  std::istringstream       in(line);
  std::string              field;
  while (std::getline(in, field, ','))
    fields.push_back(field);
  return fields;
}

int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const std::string                directory = "results-study";
  const std::string                prm =
    "set Dimension = 1\n"
    "subsection Mesh\n  set Grid arguments = 0 : 10 : true\nend\n"
    "subsection Model\n  set Model = langevin\nend\n"
    "subsection Coefficient\n"
    "  set Ground truth = 1 + 0.5*sin(2*pi*x/5) + 0.8*exp(-(x-6)^2/0.5)\nend\n"
    "subsection Observations\n  set Grid points = 1001\n"
    "  set Noise level = 0.001\n  set Data mesh level = 10\n"
    "  set Write files = false\nend\n"
    "subsection Inverse problem\n  subsection Stage 2\n"
    "    set Run = true\n    set Initial guess = 1\n"
    "    set Regularization weight = 1e-4\n    set Gradient tolerance = 1e-8\n"
    "  end\nend\n"
    "subsection Solver\n  set Linear solver tolerance = 1e-12\nend\n"
    "subsection Study\n"
    "  set Parameter = Mesh/Initial global refinement\n"
    "  set Values = 3; 4; 5; 6\n"
    "  set Series = uniform: ; adaptive: Mesh/Initial global refinement = 3, "
    "Inverse problem/Stage 2/Adaptive cycles = 3\n"
    "end\n";
  std::string screen;
  const int   code = testing::run_prm(prm, directory, false, screen);
  AssertThrow(code == 0, ExcMessage("the study failed:\n" + screen));

  // study.csv: case,series,value,cycle,active_cells,state_unknowns,
  // parameter_unknowns,correlation,correlation_interior,relative_L2_error,...
  std::ifstream csv(directory + "/study.csv");
  std::string   line;
  std::getline(csv, line);
  std::map<std::string, std::vector<std::pair<double, double>>> series;
  unsigned int                                                  n_lines = 0;
  while (std::getline(csv, line))
    {
      const std::vector<std::string> fields = csv_fields(line);
      series[fields[1]].emplace_back(std::stod(fields[6]), std::stod(fields[9]));
      ++n_lines;
    }
  const auto falls = [](const std::vector<std::pair<double, double>> &rows) {
    bool result = rows.size() > 1;
    for (unsigned int i = 0; i + 1 < rows.size(); ++i)
      result = result && rows[i + 1].second < rows[i].second;
    return result;
  };
  // The least-squares rate in h = 1/N (1D) through the uniform series.
  const auto &uniform = series["\"uniform\""];
  double      sx = 0., sy = 0., sxx = 0., sxy = 0.;
  for (const auto &[n, e] : uniform)
    {
      sx += std::log(n), sy += std::log(e);
      sxx += std::log(n) * std::log(n), sxy += std::log(n) * std::log(e);
    }
  const double n_rows = uniform.size();
  const double rate   = -(n_rows * sxy - sx * sy) / (n_rows * sxx - sx * sx);
  char         rounded[32];
  std::snprintf(rounded, sizeof(rounded), "fitted rate %.2g", rate);

  std::ifstream     report_file(directory + "/study.md");
  const std::string report((std::istreambuf_iterator<char>(report_file)),
                           std::istreambuf_iterator<char>());
  testing::log()
    << "study.csv: " << n_lines << " lines (4 uniform cases, 4 cycles)\n"
    << "uniform: error falls at every refinement: "
    << testing::yes_no(falls(uniform)) << "; fitted rate "
    << testing::rate(1., std::exp(-rate), std::exp(1.))
    << ", between 1 and 2.5: " << testing::yes_no(rate > 1. && rate < 2.5)
    << "; as in study.md: "
    << testing::yes_no(report.find(std::string("**uniform**")) !=
                         std::string::npos &&
                       report.find(rounded) != std::string::npos)
    << "\nadaptive: error falls in every cycle: "
    << testing::yes_no(falls(series["\"adaptive\""]))
    << "\nstudy.md has the table, rates, comparison and plots: "
    << testing::yes_no(report.find("| case | series |") != std::string::npos &&
                       report.find("## Observed rates") != std::string::npos &&
                       report.find("## The series compared") !=
                         std::string::npos &&
                       report.find("](study_error.png)") != std::string::npos)
    << "\nstudy_error.png and study_fields.png are PNG images: "
    << testing::yes_no(is_png(directory + "/study_error.png") &&
                       is_png(directory + "/study_fields.png"))
    << std::endl;

  // Reference = finest.
  const std::string finest_directory = "results-study-finest";
  std::string       finest_prm       = prm;
  finest_prm.replace(finest_prm.find("  set Values"), 0, "  set Reference = finest\n");
  const int finest_code =
    testing::run_prm(finest_prm, finest_directory, false, screen);
  AssertThrow(finest_code == 0, ExcMessage("the study failed:\n" + screen));
  const auto grid_values = [&](const std::string &file) {
    std::ifstream       in(finest_directory + "/" + file);
    std::vector<double> values;
    std::string         text;
    while (std::getline(in, text))
      if (!text.empty() && text[0] != '#')
        {
          std::istringstream fields(text);
          double             x, q;
          fields >> x >> q;
          values.push_back(q);
        }
    return values;
  };
  const std::vector<double> reference = grid_values("case_4/coefficient_grid.dat");
  const auto difference = [&](const std::string &file) {
    const std::vector<double> values = grid_values(file);
    double                    d = 0., n = 0.;
    for (unsigned int i = 0; i < values.size(); ++i)
      d += (values[i] - reference[i]) * (values[i] - reference[i]),
        n += reference[i] * reference[i];
    return values.size() == reference.size() ? std::sqrt(d / n) : -1.;
  };
  std::ifstream finest_csv(finest_directory + "/study.csv");
  std::getline(finest_csv, line);
  const bool   has_column = line.find("relative_l2_difference_to_finest") != std::string::npos;
  bool         recomputed = true;
  std::vector<double> uniform_differences;
  while (std::getline(finest_csv, line))
    {
      const std::vector<std::string> fields = csv_fields(line);
      const double csv_difference = std::stod(fields.back());
      const std::string file =
        "case_" + fields[0] + "/" +
        (fields[1] == "\"adaptive\"" ? "coefficient_grid_cycle_" + fields[3] + ".dat" :
                                        std::string("coefficient_grid.dat"));
      recomputed = recomputed &&
                   std::abs(difference(file) - csv_difference) <=
                     1e-6 * std::max(csv_difference, 1e-3);
      if (fields[1] == "\"uniform\"")
        uniform_differences.push_back(csv_difference);
    }
  bool uniform_falls = uniform_differences.size() == 4 && uniform_differences[3] == 0.;
  for (unsigned int i = 0; i + 2 < uniform_differences.size(); ++i)
    uniform_falls = uniform_falls && uniform_differences[i + 1] < uniform_differences[i];
  std::ifstream     finest_report_file(finest_directory + "/study.md");
  const std::string finest_report((std::istreambuf_iterator<char>(finest_report_file)),
                                  std::istreambuf_iterator<char>());
  testing::log()
    << "Reference = finest: study.csv has the difference column: "
    << testing::yes_no(has_column)
    << "\n  the uniform differences fall to 0 at the reference (case 4): "
    << testing::yes_no(uniform_falls)
    << "\n  every line's difference recomputed from its grid file: "
    << testing::yes_no(recomputed)
    << "\n  study.md names the reference: "
    << testing::yes_no(finest_report.find("the most unknowns (case 4)") != std::string::npos)
    << std::endl;
  return 0;
}
