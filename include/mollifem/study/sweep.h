#ifndef mollifem_study_sweep_h
#define mollifem_study_sweep_h

#include <deal.II/base/mpi.h>
#include <deal.II/base/parameter_handler.h>

#include <string>
#include <utility>
#include <vector>

namespace mollifem
{
  using namespace dealii;

  /**
   * Parameters of subsection `Study`: a validation study that runs the
   * parameter file once per case. The cases are the values of one swept
   * parameter, for every series (a named set of further settings); a series
   * that sets the swept parameter itself runs once.
   */
  struct SweepParameters
  {
    /// A named set of settings applied on top of the parameter file.
    struct Series
    {
      std::string                                      label;
      std::vector<std::pair<std::string, std::string>> settings;
    };

    /// The path of the swept parameter ("Mesh/Initial global refinement");
    /// empty: no study, one run.
    std::string              parameter;
    std::vector<std::string> values;
    /// At least one (label "" when none is given).
    std::vector<Series>      series;
    /// Points per direction of coefficient_grid.dat in each case (2D, 1D).
    unsigned int             grid_points = 101;
    /// Run gnuplot on the plot scripts.
    bool                     plots = true;
    /// What the errors of the rates, plots and comparisons are measured
    /// against: "truth" or "finest" (the case or cycle with the most
    /// coefficient unknowns).
    std::string              reference = "truth";

    static void
    declare_parameters(ParameterHandler &prm);

    void
    parse_parameters(ParameterHandler &prm);

    /// Whether a study was asked for.
    bool
    active() const;
  };

  /**
   * Set the parameter at @p path ("Subsection/Subsection/Name") of @p prm to
   * @p value; a path that names no parameter, or a value its pattern
   * refuses, throws ExcParameter naming @p where (the study parameter that
   * gave them).
   */
  void
  set_by_path(ParameterHandler & prm,
              const std::string &path,
              const std::string &value,
              const std::string &where);

  /**
   * Run the study of @p parameters for the parameter file @p filename: every
   * case in its own directory under the file's Output/Directory (case_1,
   * case_2, ...), then study.csv (one line per case, or per adaptive cycle
   * of a case), study.md (the table, observed rates and the comparison of
   * the series) and the plots study_error.png and study_fields.png (through
   * gnuplot, whose scripts are written beside them). Every case's
   * parameters are checked before the first one runs. With @p resume, the
   * cases that finished (their summary.json exists) are not run again, and
   * a case with a checkpoint continues from it. Collective.
   */
  template <int dim>
  void
  run_sweep(const std::string &    filename,
            const SweepParameters &parameters,
            const bool             resume,
            const MPI_Comm         communicator);
} // namespace mollifem

#endif
