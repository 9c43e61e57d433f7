// Grid sequencing (Inverse problem/Stage 2/Grid sequencing levels) through
// the driver on card B2 (steady heat, three sources, 1% noise on a 41 x 41
// grid, 64 x 64 cells, H1 weight 0.01 fixed, gradient tolerance 1e-6). The
// same inversion once on the given mesh alone and once from two coarser
// levels. Checks: the levels' meshes grow to the given one (the last level
// has its unknowns); every level starts where the last one ended (the
// correlation of its iteration 0 within 0.01 of the last level's final
// one); every finer level's first step is a full Newton step (its trust
// region starts with the last level's radius, not ROL's Cauchy step);
// both runs reach the same minimizer (the recovered k on a 41 x 41
// grid differs by less than 1e-3 relative); the work reported counts the
// coarser levels' (each level's solves weighted by its unknowns). With the
// statistical tolerance 0.5 on every level the run ends within 0.5 of the
// full run's N J (the negative log-posterior) for fewer Hessian-vector
// products. The given
// mesh's correction (decrease of N J) is at most a quarter of level 1's, the
// premise of the statistical tolerance's prediction; with a tolerance 1.5
// times that prediction the given mesh keeps level 1's iterate, for less
// work, and ends within the tolerance of the full run's N J. Too many
// levels for the mesh stop the run with a message that names the
// parameter. One rank (CI time: tests/driver/resume_grid_sequencing runs
// grid sequencing, Newton-CG and MG/OPT on 2 ranks too; the 2-rank run of
// this test, dropped in the nineteenth session, passed too, its too-coarse
// level's warning with a misfit 36.59 instead of 36.63). (Whether
// sequencing saves work
// depends on the problem: bench/heat measures it; here, from a constant
// initial guess with a fixed weight and a tight tolerance, the given mesh
// still needs 6 of its 8 iterations.)

#include <deal.II/base/exceptions.h>

#include <cmath>
#include <fstream>

#include "../tests.h"
#include "run_prm.h"

using namespace dealii;
using namespace mollifem;

/// The recovered coefficient (third column) of a coefficient_grid.dat.
std::vector<double>
grid_values(const std::string &file)
{
  std::ifstream in(file);
  AssertThrow(in.good(), ExcMessage("cannot read " + file));
  std::vector<double> values;
  std::string         text;
  while (std::getline(in, text))
    if (!text.empty() && text[0] != '#')
      {
        std::istringstream fields(text);
        double             x, y, q;
        fields >> x >> y >> q;
        values.push_back(q);
      }
  return values;
}



std::string
prm(const unsigned int levels,
    const double       statistical_tolerance = 0.,
    const unsigned int multilevel_cycles     = 0)
{
  return testing::heat_b2_prm("FE field") +
         "subsection Mesh\n  set Initial global refinement = 6\nend\n"
         "subsection Inverse problem\n"
         "  subsection Stage 2\n"
         "    set Run = true\n    set Initial guess = 1\n"
         "    set Regularization = H1\n    set Regularization weight = 0.01\n"
         "    set Gradient tolerance = 1e-6\n    set Maximum iterations = 60\n"
         "    set Grid sequencing levels = " + std::to_string(levels) +
         "\n    set Statistical tolerance = " +
         std::to_string(statistical_tolerance) +
         "\n    set Multilevel cycles = " + std::to_string(multilevel_cycles) +
         "\n  end\nend\n"
         "subsection Output\n  set Coefficient grid points = 41\nend\n";
}



int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);

  const auto given = testing::run_prm(prm(0), "results-given");
  std::string sequenced_screen;
  AssertThrow(testing::run_prm(prm(2), "results-sequenced", false,
                               sequenced_screen) == 0,
              ExcMessage("the driver failed:\n" + sequenced_screen));
  boost::property_tree::ptree sequenced;
  boost::property_tree::read_json("results-sequenced/summary.json", sequenced);

  const double unknowns = testing::get(sequenced, "mesh/state unknowns");
  const double level_2 =
    testing::get(sequenced, "stage 2 levels/2/state unknowns");
  const double level_1 =
    testing::get(sequenced, "stage 2 levels/1/state unknowns");
  const bool grows =
    level_2 < level_1 && level_1 < unknowns &&
    testing::get(sequenced, "stage 2/unknowns") ==
      testing::get(given, "stage 2/unknowns");

  bool   continues  = true;
  double last_final = 0.;
  for (const std::string suffix : {"_level_2", "_level_1", ""})
    {
      const auto [first, last] = testing::first_and_last_correlation(
        "results-sequenced/stage_2_history" + suffix + ".csv");
      if (suffix != "_level_2")
        continues = continues && std::abs(first - last_final) < 0.01;
      last_final = last;
    }

  // A finer level's trust region starts with the last level's radius
  // (printed, scaled to its mesh): its first step is a full Newton step,
  // inside the trust region, where ROL's own radius from a Cauchy step
  // would cut it to the length of a steepest-descent step. (The screen
  // output is rank 0's.)
  bool newton_first = true;
  if (Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
    for (const std::string level : {"1", "0"})
      {
        const std::string line = testing::line_containing(
          sequenced_screen, "grid sequencing level " + level + ":");
        const std::size_t at = line.find("trust-region radius ");
        AssertThrow(at != std::string::npos, ExcMessage("no radius: " + line));
        const double radius = std::stod(line.substr(at + 20));
        newton_first =
          newton_first &&
          testing::history_column("results-sequenced/stage_2_history" +
                                    (level == "0" ? std::string() :
                                                    "_level_" + level) +
                                    ".csv",
                                  5)[1] < 0.9 * radius;
      }

  const std::vector<double> reference =
    grid_values("results-given/coefficient_grid.dat");
  const std::vector<double> values =
    grid_values("results-sequenced/coefficient_grid.dat");
  double difference = 0., norm = 0.;
  for (unsigned int i = 0; i < reference.size(); ++i)
    {
      difference += (values[i] - reference[i]) * (values[i] - reference[i]);
      norm += reference[i] * reference[i];
    }
  const bool same = values.size() == reference.size() &&
                    std::sqrt(difference / norm) < 1e-3;

  const double cost_sequenced =
    testing::get(sequenced, "stage 2/forward-solve equivalents");
  const double cost_levels =
    testing::get(sequenced,
                 "stage 2 levels/2/forward-solve equivalents of the given mesh") +
    testing::get(sequenced,
                 "stage 2 levels/1/forward-solve equivalents of the given mesh");

  testing::log() << "levels: " << level_2 << " -> " << level_1 << " -> "
                 << unknowns << " state unknowns; the last level is the given "
                 << "mesh: " << testing::yes_no(grows)
                 << "\nevery level starts from the last one's iterate: "
                 << testing::yes_no(continues)
                 << "\nevery finer level's first step is a full Newton "
                    "step (inside its initial trust region): "
                 << testing::yes_no(newton_first)
                 << "\nthe same minimizer as without levels (relative "
                    "difference < 1e-3): "
                 << testing::yes_no(same) << "\ncorrelation "
                 << testing::format(testing::get(sequenced, "stage 2/correlation"), 2)
                 << " (without levels "
                 << testing::format(testing::get(given, "stage 2/correlation"), 2)
                 << ")\nthe work counts the coarser levels: "
                 << testing::yes_no(cost_sequenced > cost_levels) << std::endl;

  // The statistical tolerance leaves out a level whose correction it
  // predicts below it: a quarter of the last level's. The premise, in the
  // run without: the given mesh's correction (decrease of N J) is at most a
  // quarter of level 1's. With a tolerance 1.5 times that prediction, the
  // given mesh keeps level 1's iterate, for less work, and ends within the
  // tolerance of the full run's N J.
  const double level_1_decrease =
    testing::get(sequenced, "stage 2 levels/1/decrease of N J");
  const double given_decrease =
    testing::get(sequenced, "stage 2/decrease of N J");
  const double tolerance = 1.5 * 0.25 * level_1_decrease;
  const auto   skipped   = testing::run_prm(prm(2, tolerance), "results-skip");
  const double n_data    = testing::get(skipped, "stage 2/data");
  const auto   objective = [](const boost::property_tree::ptree &summary) {
    return testing::get(summary, "stage 2/misfit") +
           testing::get(summary, "stage 2/regularization");
  };
  const bool kept =
    skipped.get<std::string>(boost::property_tree::ptree::path_type(
      "stage 2/stop reason", '/')) ==
    "kept the last level's iterate (statistical tolerance)";
  // The statistical tolerance 0.5 on every level: N J within it of the
  // full run's minimum, for fewer Hessian-vector products.
  const auto statistical = testing::run_prm(prm(2, 0.5), "results-statistical");
  testing::log() << "with the statistical tolerance 0.5: N J within 0.5 of "
                    "the full run's: "
                 << testing::yes_no(n_data * (objective(statistical) -
                                              objective(sequenced)) < 0.5)
                 << "; fewer Hessian-vector products: "
                 << testing::yes_no(
                      testing::get(statistical, "stage 2/Hessian-vector products") <
                      testing::get(sequenced, "stage 2/Hessian-vector products"))
                 << std::endl;
  testing::log() << "the given mesh's correction at most a quarter of level "
                    "1's: "
                 << testing::yes_no(given_decrease <= 0.25 * level_1_decrease)
                 << "\nwith a statistical tolerance above that: the given mesh "
                    "keeps level 1's iterate: "
                 << testing::yes_no(kept) << "; less work: "
                 << testing::yes_no(
                      testing::get(skipped, "stage 2/forward-solve equivalents") <
                      cost_sequenced)
                 << "; N J within the tolerance of the full run's: "
                 << testing::yes_no(n_data * (objective(skipped) -
                                              objective(sequenced)) <
                                    tolerance)
                 << std::endl;

  // MG/OPT (Multilevel cycles, with its Jacobi smoothing) with the same
  // statistical tolerance: the finer levels take their steps from the
  // coarse models of the level below and the smoothing, and make no
  // Hessian-vector products of their own (rank 0's screen output: the lines
  // of levels 1 and 0); every cycle lowers the level's objective; for less
  // work than Newton-CG, the run ends within 1 of the full run's N J (the
  // posterior's scale: Newton-CG with the statistical tolerance 0.5 ends
  // within 0.5), with a correlation within 0.01 of Newton-CG's.
  std::string multilevel_screen;
  AssertThrow(testing::run_prm(prm(2, 0.5, 10), "results-multilevel", false,
                               multilevel_screen) == 0,
              ExcMessage("the driver failed:\n" + multilevel_screen));
  boost::property_tree::ptree multilevel;
  boost::property_tree::read_json("results-multilevel/summary.json", multilevel);
  const bool own_products =
    Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) != 0 ||
    testing::occurrences(multilevel_screen, ", 0 Hessian-vector products (") == 2;
  // Every cycle lowers the objective, on level 1 and on the given mesh.
  const auto every_cycle_descends = [](const std::string &directory) {
    bool descends = true;
    for (const std::string suffix : {"_level_1", ""})
      {
        const std::vector<double> values = testing::history_column(
          directory + "/stage_2_history" + suffix + ".csv", 1);
        for (unsigned int i = 1; i < values.size(); ++i)
          descends = descends && values[i] < values[i - 1];
      }
    return descends;
  };
  const bool descends = every_cycle_descends("results-multilevel");
  const double gap = n_data * (objective(multilevel) - objective(sequenced));
  testing::log()
    << "MG/OPT with the statistical tolerance 0.5: no Hessian-vector "
       "products on the finer levels' own meshes: "
    << testing::yes_no(own_products)
    << "; every cycle lowers the objective: " << testing::yes_no(descends)
    << "\n  less work than Newton-CG: "
    << testing::yes_no(
         testing::get(multilevel, "stage 2/forward-solve equivalents") <
         testing::get(statistical, "stage 2/forward-solve equivalents"))
    << "; N J within 1 of the full run's: " << testing::yes_no(gap < 1.)
    << "; correlation within 0.01 of Newton-CG's: "
    << testing::yes_no(std::abs(testing::get(multilevel, "stage 2/correlation") -
                                testing::get(statistical, "stage 2/correlation")) <
                       0.01)
    << std::endl;

  // MG/OPT with the coarse models two levels down (Multilevel coarse depth
  // = 2): the given mesh's coarse model lives on the coarsest level, the
  // transfers passing through level 1. Its products are four times
  // cheaper, so the run takes less work than one level down; every cycle
  // lowers the objective and the correlation stays within 0.01 of
  // Newton-CG's. On this problem the coarsest level (16 x 16 cells for 41 x
  // 41 points) is a weak model of the given mesh: its cycles contract
  // erratically, the statistical stop comes early and the run ends further
  // from the minimum than one level down (3.7 units of N J on 1 rank, 10.5
  // on 2, against 0.5 and 0.4; doc/inverse.md), so the test only guards
  // against a broken transfer with a bound of 15.
  std::string deep_screen;
  AssertThrow(testing::run_prm(prm(2, 0.5, 10) +
                                 "subsection Inverse problem\n"
                                 "  subsection Stage 2\n"
                                 "    set Multilevel coarse depth = 2\n"
                                 "  end\nend\n",
                               "results-multilevel-deep",
                               false,
                               deep_screen) == 0,
              ExcMessage("the driver failed:\n" + deep_screen));
  boost::property_tree::ptree deep;
  boost::property_tree::read_json("results-multilevel-deep/summary.json", deep);
  const bool deep_descends = every_cycle_descends("results-multilevel-deep");
  testing::log()
    << "MG/OPT two levels down:"
    << testing::line_containing(deep_screen, "MG/OPT with the level 2")
    << "\n  less work than one level down: "
    << testing::yes_no(
         testing::get(deep, "stage 2/forward-solve equivalents") <
         testing::get(multilevel, "stage 2/forward-solve equivalents"))
    << "; every cycle lowers the objective: " << testing::yes_no(deep_descends)
    << "; N J within 15 of the full run's: "
    << testing::yes_no(n_data * (objective(deep) - objective(sequenced)) < 15.)
    << "; correlation within 0.01 of Newton-CG's: "
    << testing::yes_no(std::abs(testing::get(deep, "stage 2/correlation") -
                                testing::get(statistical, "stage 2/correlation")) <
                       0.01)
    << std::endl;

  std::string screen;
  // 64 x 64 cells are refined 6 times from the coarse mesh: seven levels
  // are too many.
  const int code =
    testing::run_prm(prm(7), "results-too-many", false, screen);
  testing::log() << "seven levels: exit code " << code << ", message:\n"
                 << testing::line_containing(screen, "Grid sequencing levels")
                 << std::endl;
  // MG/OPT needs the levels of grid sequencing.
  const int no_levels =
    testing::run_prm(prm(0, 0., 5), "results-no-levels", false, screen);
  testing::log() << "multilevel cycles without levels: exit code " << no_levels
                 << ", message:\n"
                 << testing::line_containing(screen, "Multilevel cycles")
                 << std::endl;
  // A coarsest level too coarse for the noise (4 x 4 cells under 32 x 32,
  // the discretization error there ten times the noise): the discrepancy
  // search on a level whose misfit stops falling with the weight keeps the
  // larger weight and says why, instead of driving the weight towards 0
  // (it went to 1e-17 before, with thousands of iterations); the given
  // mesh then meets the discrepancy principle with a correlation above 0.99.
  {
    const auto coarse_screen = [&]() {
      std::string text;
      AssertThrow(
        testing::run_prm(
          prm(3, 0.5) +
            "subsection Mesh\n  set Initial global refinement = 5\nend\n"
            "subsection Inverse problem\n  subsection Stage 2\n"
            "    set Discrepancy principle = true\n  end\nend\n",
          "results-too-coarse",
          false,
          text) == 0,
        ExcMessage("the driver failed:\n" + text));
      return text;
    }();
    boost::property_tree::ptree too_coarse;
    boost::property_tree::read_json("results-too-coarse/summary.json",
                                    too_coarse);
    const double target =
      testing::get(too_coarse, "stage 2/discrepancy target");
    const double spread =
      target * std::sqrt(2. / testing::get(too_coarse, "stage 2/data"));
    const std::string warning = "on this mesh the model cannot fit the data";
    // The coarsest level's part of rank 0's screen output.
    const std::string coarsest =
      coarse_screen.substr(0, coarse_screen.find("Grid sequencing level 2:"));
    const bool says_so =
      Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) != 0 ||
      (coarsest.find(warning) != std::string::npos &&
       testing::occurrences(coarsest, "    alpha ") == 2);
    testing::log()
      << "a coarsest level too coarse for the noise: the search there stops "
         "after two weights and says so: "
      << testing::yes_no(says_so) << ":\n"
      << testing::line_containing(coarsest, warning)
      << "\n  the given mesh meets the discrepancy principle: "
      << testing::yes_no(std::abs(testing::get(too_coarse, "stage 2/misfit") -
                                  target) <= 0.25 * spread)
      << "; correlation above 0.99: "
      << testing::yes_no(testing::get(too_coarse, "stage 2/correlation") > 0.99)
      << std::endl;
  }

  // MG/OPT works in the Euclidean inner product only.
  const int lumped = testing::run_prm(
    prm(2, 0.5, 5) + "subsection Inverse problem\n  subsection Stage 2\n"
                     "    set Inner product = lumped mass\n  end\nend\n",
    "results-multilevel-lumped",
    false,
    screen);
  testing::log() << "multilevel cycles in the lumped-mass inner product: exit "
                    "code "
                 << lumped << ", message:\n"
                 << testing::line_containing(screen, "Multilevel cycles")
                 << std::endl;
  return 0;
}
