// MG/OPT's predicted stop (Inverse problem/Stage 2/Multilevel cycles with a
// Statistical tolerance) through the driver on card B2 (steady heat, three
// sources, 1% noise on a 65 x 65 grid, 64 x 64 cells, H1 weight 0.1 fixed,
// two levels of grid sequencing). Before a cycle MG/OPT predicts what it
// would lower N J by: the coarse model's decrease plus an upper bound of the
// smoothing step's from the regularization's curvature alone. Here the
// regularization dominates the rough directions, the prediction falls
// below the tolerance 0.5, and the given mesh stops before that cycle.
// Checks: the stop reason names the predicted cycle and its decrease, below
// 0.5; the given mesh made no fine solve for that cycle (its adjoint solves:
// one at the start and one per cycle taken, for the gradient after its
// step); what was left is what the prediction said: the run ends within
// 0.5 of N J of the full Newton-CG run's minimum on the given mesh (gradient
// tolerance 1e-6, no statistical tolerance), with the same correlation to
// 1e-3, for less work.

#include <cmath>
#include <regex>

#include "../tests.h"
#include "run_prm.h"

using namespace dealii;
using namespace mollifem;

std::string
prm(const bool multilevel)
{
  return testing::heat_b2_prm("FE field") +
         "subsection Mesh\n  set Initial global refinement = 6\nend\n"
         "subsection Observations\n  set Grid points = 65\nend\n"
         "subsection Inverse problem\n"
         "  subsection Stage 2\n"
         "    set Run = true\n    set Initial guess = 1\n"
         "    set Regularization = H1\n    set Regularization weight = 0.1\n"
         "    set Gradient tolerance = 1e-6\n    set Maximum iterations = 60\n" +
         (multilevel ? "    set Grid sequencing levels = 2\n"
                       "    set Statistical tolerance = 0.5\n"
                       "    set Multilevel cycles = 10\n" :
                       "") +
         "  end\nend\n";
}



int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);

  const auto  full = testing::run_prm(prm(false), "results-full");
  std::string screen;
  AssertThrow(testing::run_prm(prm(true), "results-multilevel", false,
                               screen) == 0,
              ExcMessage("the driver failed:\n" + screen));
  boost::property_tree::ptree multilevel;
  boost::property_tree::read_json("results-multilevel/summary.json",
                                  multilevel);

  const std::string reason = multilevel.get<std::string>(
    boost::property_tree::ptree::path_type("stage 2/stop reason", '/'));
  std::smatch     match;
  const bool      predicted = std::regex_search(
    reason,
    match,
    std::regex("^converged to the statistical tolerance \\(cycle ([0-9]+) "
               "predicted to lower N J by ([0-9.e+-]+)"));
  const unsigned int cycle     = predicted ? std::stoi(match[1]) : 0;
  const double       decrease  = predicted ? std::stod(match[2]) : 1e9;

  // The given mesh's line (rank 0's screen): "... after C iterations; F
  // forward, ...".
  const std::size_t given_mesh = screen.find("Grid sequencing level 0:");
  const std::string line       = testing::line_containing(
    screen.substr(given_mesh == std::string::npos ? screen.size() : given_mesh),
    "converged to the statistical tolerance (");
  const bool has_counts =
    std::regex_search(line,
                      match,
                      std::regex("after ([0-9]+) iterations; [0-9]+ forward, "
                                 "([0-9]+) adjoint"));
  const bool no_solve_for_it =
    Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) != 0 ||
    (has_counts && std::stoi(match[1]) + 1 == static_cast<int>(cycle) &&
     std::stoi(match[2]) == 1 + std::stoi(match[1]));

  const auto objective = [](const boost::property_tree::ptree &summary) {
    return testing::get(summary, "stage 2/misfit") +
           testing::get(summary, "stage 2/regularization");
  };
  const double n_data = testing::get(multilevel, "stage 2/data");
  const double gap    = n_data * (objective(multilevel) - objective(full));

  testing::log()
    << "the given mesh stops before a cycle predicted to lower N J by less "
       "than 0.5: "
    << testing::yes_no(predicted && decrease < 0.5 && cycle >= 2)
    << "\nno fine solve for the cycle not taken: "
    << testing::yes_no(no_solve_for_it)
    << "\nN J within 0.5 of the full run's minimum: "
    << testing::yes_no(gap < 0.5 && gap > -0.5)
    << "; the same correlation to 1e-3: "
    << testing::yes_no(std::abs(testing::get(multilevel, "stage 2/correlation") -
                                testing::get(full, "stage 2/correlation")) <
                       1e-3)
    << "; less work: "
    << testing::yes_no(
         testing::get(multilevel, "stage 2/forward-solve equivalents") <
         testing::get(full, "stage 2/forward-solve equivalents"))
    << std::endl;
}
