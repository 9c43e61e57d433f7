// The discrepancy principle with the model's discretization error
// (Inverse problem/Stage 2/Discrepancy model error) through the driver on
// card B2 (steady heat, one source, 1% noise on a 41 x 41 grid, synthetic
// data on a mesh refined once more than the given one).
//
// 1. The estimate: on 8 x 8 cells, whose error dwarfs the noise, the error
//    of the predictions estimated at the recovered k (on the mesh refined
//    once, extrapolated) is within 10% of the truth's own excess misfit
//    sqrt((RMS misfit / sigma)^2 - 1) that the forward solve with the true k
//    shows (2.23 against 2.25 noise sigmas when this test was written).
// 2. On 16 x 16 cells with tau = 1 (tests/driver/
//    heat_stage_2_discrepancy_flat.prm: the plain target 0.5 lies below the
//    truth's misfit there, and the plain search ends at a weight that fits
//    the noise, correlation 0.40), the target rises by the estimated error
//    (to 0.61), the search meets it to a quarter of its spread, and the
//    recovered k correlates with the truth above 0.85 (0.92).
// 3. At 5% noise on the same mesh the error (about 0.09 noise sigmas) moves
//    the target by less than twice the misfit's spread: it is neglected, and
//    the target stays tau^2/2.
// 4. Grid sequencing from 8 x 8 and one adaptive cycle (tau = 1.02): every
//    level and cycle searches against its own mesh's error, and the
//    correlation grows from the given mesh to the adaptive cycle (0.88 ->
//    0.94; with the plain target it fell from the given mesh's search to
//    0.40 and the cycle ended at 0.81), above 0.85 at both.
// 5. With grid sequencing, a run stopped at the given mesh's first
//    checkpoint (before its weight check) and resumed searches again (its
//    target moved from the last level's, which the checkpoint holds) and
//    ends as the uninterrupted run: history, scores, weight, target and
//    model error identical.
// 6. Without the discrepancy principle the setting is refused, naming it.
// The same on 1 and 2 ranks.

#include <cmath>

#include "../tests.h"
#include "run_prm.h"

using namespace dealii;
using namespace mollifem;

std::string
prm(const unsigned int refinement,
    const unsigned int data_refinement,
    const double       tau,
    const std::string &extra = "",
    const bool         discrepancy = true,
    const double       noise = 0.01)
{
  return "subsection Mesh\n  set Initial global refinement = " +
         std::to_string(refinement) +
         "\nend\n"
         "subsection Coefficient\n"
         "  set Ground truth  = 1 + 0.5*exp(-((x-0.3)^2 + (y-0.6)^2)/0.02)\n"
         "  set Log transform = true\nend\n"
         "subsection Model\n  subsection Heat\n"
         "    set Source = 10*exp(-((x-0.7)^2 + (y-0.3)^2)/0.05) + 2\n"
         "  end\nend\n"
         "subsection Observations\n  set Grid points = 41\n"
         "  set Noise level = " + std::to_string(noise) +
         "\n  set Additional refinement = " +
         std::to_string(data_refinement) +
         "\n  set Write files = false\nend\n"
         "subsection Inverse problem\n  subsection Stage 2\n"
         "    set Run = true\n    set Initial guess = 1\n"
         "    set Regularization weight = 0.01\n"
         "    set Discrepancy principle = " +
         std::string(discrepancy ? "true" : "false") +
         "\n    set Discrepancy model error = true\n"
         "    set Discrepancy factor = " +
         std::to_string(tau) + "\n    set Gradient tolerance = 1e-4\n" +
         extra +
         "  end\nend\n"
         "subsection Solver\n  set Linear solver tolerance = 1e-12\nend\n";
}



int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);

  {
    const auto   summary = testing::run_prm(prm(3, 2, 1.), "results-8x8");
    const double truth   = testing::get(summary, "forward/misfit over noise");
    const double excess  = std::sqrt(truth * truth - 1.);
    const double estimate = testing::get(summary, "stage 2/model error");
    testing::log() << "8 x 8 cells: the truth's excess misfit "
                   << testing::format(excess, 2)
                   << " noise sigmas; the estimate within 10%: "
                   << testing::yes_no(std::abs(estimate - excess) < 0.1 * excess)
                   << std::endl;
  }

  {
    const auto   summary = testing::run_prm(prm(4, 1, 1.), "results-16x16");
    const double target  = testing::get(summary, "stage 2/discrepancy target");
    const double misfit  = testing::get(summary, "stage 2/misfit");
    const double n_data  = testing::get(summary, "stage 2/data");
    const double error   = testing::get(summary, "stage 2/model error");
    const double spread =
      0.5 * std::sqrt(2. / n_data * (1. + 2. * error * error));
    testing::log() << "16 x 16 cells, tau = 1: the target above 0.5 by the "
                      "estimated error: "
                   << testing::yes_no(
                        std::abs(target - 0.5 * (1. + error * error)) < 1e-12 &&
                        target > 0.55)
                   << "\n  the misfit within a quarter of the spread: "
                   << testing::yes_no(std::abs(misfit - target) <= 0.25 * spread)
                   << "\n  correlation above 0.85: "
                   << testing::yes_no(
                        testing::get(summary, "stage 2/correlation") > 0.85)
                   << std::endl;
  }

  {
    const auto summary =
      testing::run_prm(prm(4, 1, 1., "", true, 0.05), "results-16x16-5%");
    testing::log() << "16 x 16 cells at 5% noise: the error neglected (the "
                      "target stays tau^2/2 = 0.5): "
                   << testing::yes_no(
                        testing::get(summary, "stage 2/model error") == 0. &&
                        testing::get(summary, "stage 2/discrepancy target") ==
                          0.5)
                   << std::endl;
  }

  {
    const std::string directory = "results-sequenced-adaptive";
    const auto        summary   = testing::run_prm(
      prm(4,
          1,
          1.02,
          "    set Grid sequencing levels = 1\n    set Adaptive cycles = 1\n"),
      directory);
    const double given =
      testing::first_and_last_correlation(directory + "/stage_2_history.csv")
        .second;
    const double cycle =
      testing::first_and_last_correlation(directory +
                                          "/stage_2_history_cycle_1.csv")
        .second;
    testing::log() << "grid sequencing from 8 x 8 and one adaptive cycle: "
                   << testing::get(summary, "stage 2 cycles/1/active cells")
                   << " cells at the end; the correlation grows from the "
                      "given mesh to the cycle: "
                   << testing::yes_no(cycle > given)
                   << ", above 0.85 at both: "
                   << testing::yes_no(given > 0.85 && cycle > 0.85)
                   << std::endl;
  }

  // Stopped at the given mesh's first checkpoint, before its weight check,
  // and resumed: the last level's target comes from the checkpoint.
  {
    const std::string sequenced =
      "    set Grid sequencing levels = 1\n    set Checkpoint interval = 1\n";
    const auto run = testing::stop_and_resume(
      prm(4, 1, 1.02, sequenced),
      prm(4, 1, 1.02, sequenced + "    set Stop after checkpoints = 1\n"),
      {"stage_2_history.csv"},
      {"stage 2/correlation",
       "stage 2/misfit",
       "stage 2/regularization weight",
       "stage 2/discrepancy target",
       "stage 2/model error"});
    testing::log()
      << "stopped before the given mesh's weight check: "
      << testing::yes_no(run.stopped_screen.find("Stopped after checkpoint 1") !=
                         std::string::npos)
      << ", resumed: the target moved from the "
      << "last level's: "
      << testing::yes_no(run.resumed_screen.find(
                           "which moved from the last level's") !=
                         std::string::npos)
      << ", history, scores, weight, target and model error identical: "
      << testing::yes_no(run.same)
      << std::endl;
  }

  std::string screen;
  const int   code = testing::run_prm(
    prm(3, 1, 1., "", false), "results-refused", false, screen);
  testing::log() << "without the discrepancy principle: exit code " << code
                 << ", message:\n"
                 << testing::line_containing(screen, "Discrepancy model error")
                 << std::endl;
  return 0;
}
