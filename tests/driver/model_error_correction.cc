// The model's predictions corrected by their estimated discretization
// error (Inverse problem/Stage 2/Model error correction) through the driver
// on card B2 (heat, a Gaussian bump in k, log transform, 1% noise on a
// 41 x 41 grid), 16 x 16 and 8 x 8 cells.
//
// 1. Time stepping, data from a file: transient data made with
//    Crank-Nicolson and a step of 0.0025 on the mesh refined twice more and
//    written to observations.csv are fitted on 16 x 16 cells with implicit
//    Euler and a step of 0.01. With the file's data the estimate also
//    solves with half the step; at the initial guess k = 1 it is within 10%
//    of the truth's own excess misfit sqrt((RMS misfit / sigma)^2 - 1),
//    which the forward solve with the true k shows (2.93 against 3.12 noise
//    sigmas when this test was written). With the correction the
//    discrepancy principle reaches its plain target and the recovered k
//    correlates with the truth above 0.95 (0.973); without it, at the same
//    weight, the time step's error is fitted into k (correlation 0.887, the
//    relative L2 error 0.062 against 0.019).
// 2. The spatial error, synthetic data made two levels finer: on 8 x 8
//    cells, with the discrepancy principle and two estimates (the second at
//    the optimum, then optimized again), the relative L2 error of the
//    recovered k is below two thirds of that without the correction (0.024
//    against 0.046).
// 3. The same with checkpoints, stopped at one in the optimization after
//    the second estimate and resumed (--resume): it continues with the
//    correction the checkpoint holds, estimates nothing more, and ends as
//    the uninterrupted run: history, scores, weight and iteration count
//    identical. The second pass's history rows continue the first one's
//    numbering.
// 4. At 5% noise, with grid sequencing from 16 x 16 to 32 x 32 cells, the
//    coarser level's error (0.11 noise sigmas) changes the truth's expected
//    misfit by less than twice its spread: it is neglected, the given mesh
//    neglects its own without an estimate, and the recovered k is the one
//    without the correction.
// 5. The correction with 'Discrepancy model error' is refused, naming the
//    setting.
// The same on 1 and 2 ranks.

#include <iomanip>
#include <sstream>

#include "../tests.h"
#include "run_prm.h"

using namespace dealii;
using namespace mollifem;

namespace
{
  const std::string b2 =
    "subsection Coefficient\n"
    "  set Ground truth  = 1 + 0.5*exp(-((x-0.3)^2 + (y-0.6)^2)/0.02)\n"
    "  set Log transform = true\nend\n"
    "subsection Solver\n  set Linear solver tolerance = 1e-12\nend\n";

  std::string
  transient(const unsigned int refinement,
            const double       time_step,
            const std::string &scheme)
  {
    std::ostringstream prm;
    prm << b2 << "subsection Mesh\n  set Initial global refinement = "
        << refinement
        << "\nend\n"
           "subsection Model\n  subsection Heat\n"
           "    set Problem                = transient\n"
           "    set Source = 10*exp(-((x-0.7)^2 + (y-0.3)^2)/0.05) + 2\n"
           "    set Initial condition      = sin(pi*x)*sin(pi*y)\n"
           "    set Dirichlet boundary ids = 0, 1, 2, 3\n  end\nend\n"
           "subsection Time\n  set End time  = 0.2\n  set Time step = "
        << time_step << "\n  set Scheme    = " << scheme << "\nend\n";
    return prm.str();
  }

  std::string
  stage_2(const std::string &settings)
  {
    return "subsection Inverse problem\n  subsection Stage 2\n"
           "    set Run = true\n    set Initial guess = 1\n"
           "    set Gradient tolerance = 1e-4\n" +
           settings + "  end\nend\n";
  }

  std::string
  steady_8x8(const std::string &settings)
  {
    return b2 +
           "subsection Mesh\n  set Initial global refinement = 3\nend\n"
           "subsection Model\n  subsection Heat\n"
           "    set Source = 10*exp(-((x-0.7)^2 + (y-0.3)^2)/0.05) + 2\n"
           "  end\nend\n"
           "subsection Observations\n  set Grid points = 41\n"
           "  set Additional refinement = 2\n  set Write files = false\nend\n" +
           stage_2("    set Regularization weight = 0.01\n"
                   "    set Discrepancy principle = true\n"
                   "    set Discrepancy factor = 1\n" +
                   settings);
  }
} // namespace



int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);

  // The data, written to data/observations.csv.
  const auto data = testing::run_prm(
    transient(4, 0.0025, "Crank-Nicolson") +
      "subsection Observations\n  set Grid points = 41\n"
      "  set Times = 0.05, 0.1, 0.15, 0.2\n  set Noise level = 0.01\n"
      "  set Additional refinement = 2\n  set Write files = true\nend\n",
    "data");
  std::ostringstream sigma;
  sigma << std::setprecision(17)
        << testing::get(data, "synthetic data/noise sigma");
  const std::string from_file =
    transient(4, 0.01, "implicit Euler") +
    "subsection Observations\n  set Source = file\n"
    "  set File = data/observations.csv\n  set Write files = false\nend\n";

  {
    std::string screen;
    const auto  corrected = testing::run_prm(
      from_file + stage_2("    set Noise sigma = " + sigma.str() +
                          "\n    set Regularization weight = 0.01\n"
                          "    set Discrepancy principle = true\n"
                          "    set Discrepancy factor = 1.02\n"
                          "    set Model error correction = 1\n"),
      "results-time",
      screen);
    const double truth  = testing::get(corrected, "forward/misfit over noise");
    const double excess = std::sqrt(truth * truth - 1.);
    const double estimate =
      testing::get(corrected, "stage 2/model error corrected");
    const double alpha =
      testing::get(corrected, "stage 2/regularization weight");
    std::ostringstream weight;
    weight << std::setprecision(17) << alpha;
    const auto plain = testing::run_prm(
      from_file + stage_2("    set Noise sigma = " + sigma.str() +
                          "\n    set Regularization weight = " +
                          weight.str() + "\n"),
      "results-time-plain");
    const double error = testing::get(corrected, "stage 2/relative L2 error");
    testing::log()
      << "time stepping, data from a file: the estimate solves with half "
         "the step: "
      << testing::yes_no(screen.find("with half the time step (0.005)") !=
                         std::string::npos)
      << "\n  the truth's excess misfit " << testing::format(excess, 2)
      << " noise sigmas; the estimate within 10%: "
      << testing::yes_no(std::abs(estimate - excess) < 0.1 * excess)
      << "\n  the misfit within a quarter of the spread of the plain target: "
      << testing::yes_no(
           std::abs(testing::get(corrected, "stage 2/misfit") -
                    testing::get(corrected, "stage 2/discrepancy target")) <=
           0.25 * 0.5 * std::sqrt(2. / testing::get(corrected, "stage 2/data")) *
             1.02 * 1.02)
      << "\n  correlation above 0.95: "
      << testing::yes_no(testing::get(corrected, "stage 2/correlation") > 0.95)
      << "\n  without the correction at the same weight: correlation below "
         "0.92: "
      << testing::yes_no(testing::get(plain, "stage 2/correlation") < 0.92)
      << ", relative L2 error more than twice as large: "
      << testing::yes_no(testing::get(plain, "stage 2/relative L2 error") >
                         2. * error)
      << std::endl;
  }

  // With two estimates, checkpoints, and stopped at a checkpoint in the
  // optimization after the second estimate and resumed: the checkpoint
  // holds the correction in use.
  {
    const std::string settings = "    set Model error correction = 2\n"
                                 "    set Checkpoint interval = 1\n";
    const auto        run      = testing::stop_and_resume(
      steady_8x8(settings),
      steady_8x8(settings + "    set Stop after checkpoints = 2\n"),
      {"stage_2_history.csv"},
      {"stage 2/correlation",
       "stage 2/misfit",
       "stage 2/regularization weight",
       "stage 2/model error corrected",
       "stage 2/iterations"});
    const std::string &stopped = run.stopped_screen;
    const std::string &resumed = run.resumed_screen;
    const auto plain = testing::run_prm(steady_8x8(""), "results-8x8-plain");
    testing::log()
      << "8 x 8 cells, data two levels finer: estimated twice, optimized "
         "again: "
      << testing::yes_no(
           stopped.find("optimized again with the corrected predictions") !=
           std::string::npos)
      << "; the relative L2 error below two thirds of that without the "
         "correction: "
      << testing::yes_no(
           testing::get(run.full, "stage 2/relative L2 error") <
           2. / 3. * testing::get(plain, "stage 2/relative L2 error"))
      << std::endl;
    testing::log()
      << "stopped in the optimization after the second estimate: "
      << testing::yes_no(
           stopped.find("Stopped after checkpoint 2") != std::string::npos &&
           stopped.find("optimized again with the corrected predictions") !=
             std::string::npos)
      << ", resumed with the correction in use: "
      << testing::yes_no(resumed.find("the predictions corrected as at the "
                                      "checkpoint (2 estimates)") !=
                         std::string::npos)
      << ", no estimate after it: "
      << testing::yes_no(resumed.find("model error:") == std::string::npos)
      << ", history, scores, weight and iterations identical: "
      << testing::yes_no(run.same)
      << std::endl;
    // The second pass continues the first one's numbering: its first row
    // repeats the last iterate with the corrected predictions, and no other
    // iteration number comes twice.
    const std::vector<double> iterations =
      testing::history_column("results-full/stage_2_history.csv", 0);
    unsigned int repeats = 0;
    bool         ordered = true;
    for (unsigned int i = 1; i < iterations.size(); ++i)
      {
        ordered = ordered && iterations[i] >= iterations[i - 1];
        repeats += iterations[i] == iterations[i - 1] ? 1 : 0;
      }
    testing::log() << "  the second pass's rows continue the first one's "
                      "numbering, repeating only its last iterate: "
                   << testing::yes_no(ordered && repeats == 1) << std::endl;
  }

  // An error below the noise's fluctuation is neglected, and a finer
  // level's after it without an estimate: the run is the one without the
  // correction.
  {
    const auto sequenced = [](const std::string &correction) {
      return b2 +
             "subsection Mesh\n  set Initial global refinement = 5\nend\n"
             "subsection Model\n  subsection Heat\n"
             "    set Source = 10*exp(-((x-0.7)^2 + (y-0.3)^2)/0.05) + 2\n"
             "  end\nend\n"
             "subsection Observations\n  set Grid points = 41\n"
             "  set Noise level = 0.05\n  set Additional refinement = 1\n"
             "  set Write files = false\nend\n" +
             stage_2("    set Regularization weight = 0.01\n"
                     "    set Discrepancy principle = true\n"
                     "    set Grid sequencing levels = 1\n"
                     "    set Model error correction = " +
                     correction + "\n");
    };
    std::string screen;
    const auto  corrected =
      testing::run_prm(sequenced("1"), "results-neglected", screen);
    const auto plain = testing::run_prm(sequenced("0"), "results-not-corrected");
    testing::log()
      << "5% noise, grid sequencing from 16 x 16 to 32 x 32: neglected on the "
         "coarser level: "
      << testing::yes_no(screen.find("misfit's spread: neglected") !=
                         std::string::npos)
      << ", on the given mesh without an estimate: "
      << testing::yes_no(
           screen.find("neglected on the last mesh, so here too") !=
             std::string::npos &&
           testing::occurrences(screen, "model error:") == 2)
      << ", the correlation of the run without the correction (to 1e-3): "
      << testing::yes_no(
           std::abs(testing::get(corrected, "stage 2/correlation") -
                    testing::get(plain, "stage 2/correlation")) < 1e-3)
      << std::endl;
  }

  std::string screen;
  const int   code = testing::run_prm(
    steady_8x8("    set Model error correction = 1\n"
               "    set Discrepancy model error = true\n"),
    "results-refused",
    false,
    screen);
  testing::log() << "with Discrepancy model error = true: exit code " << code
                 << ", message:\n"
                 << testing::line_containing(screen, "Model error correction")
                 << std::endl;
  return 0;
}
