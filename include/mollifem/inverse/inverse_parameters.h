#ifndef mollifem_inverse_inverse_parameters_h
#define mollifem_inverse_inverse_parameters_h

#include <deal.II/base/parameter_handler.h>

#include <string>

namespace mollifem
{
  using namespace dealii;

  /**
   * Parameters of subsection `Inverse problem/Stage 2`: the adjoint-based
   * optimization of the reduced objective (ReducedObjective, Optimizer,
   * Regularization).
   */
  struct Stage2Parameters
  {
    bool         run = false;
    /// "stage 1" or an expression of the coefficient (not of m).
    std::string  initial_guess = "1";
    /// "model" or "data": where the state of each forward solve starts.
    std::string  initial_state = "model";
    /// Radius of the mollification of the data for initial_state == "data".
    double       initial_state_radius = 0.05;
    /// "trust-region Newton-CG" or "L-BFGS line search".
    std::string  algorithm = "trust-region Newton-CG";
    /// "Euclidean" or "lumped mass" (Optimizer::set_inner_product_weights).
    std::string  inner_product = "Euclidean";
    unsigned int max_iterations = 50;
    /// Stop when |g| <= this times |g_0|.
    double       gradient_tolerance = 1e-6;
    /// Stop when the step is shorter than this (norm of the parameters).
    double       step_tolerance = 1e-10;
    /// Trust-region Newton-CG: stop after an interior step that decreased
    /// N J (the negative log-posterior of N data) by less than this; 0:
    /// never.
    double       statistical_tolerance = 0.;
    /// Check the whole objective's gradient by Taylor remainders at the
    /// initial guess before the first optimization.
    bool         taylor_test = false;
    unsigned int max_cg_iterations = 50;
    /// Relative tolerance of CG per Newton step.
    double       cg_tolerance = 0.1;
    /// Newton-CG's preconditioner recycles up to this many Gauss-Newton
    /// products of the last step (RecycledPreconditioner; 0: none).
    unsigned int recycled_pairs = 0;
    unsigned int lbfgs_memory = 10;
    /// "none", "L2", "H1", "H2" or "TV".
    std::string  regularization = "H1";
    double       regularization_weight = 1e-3;
    /// Choose the weight by Morozov's discrepancy principle.
    bool         discrepancy_principle = false;
    /// tau: the target misfit is tau^2 / 2.
    double       discrepancy_factor = 1.02;
    /// Add the model's estimated discretization error to the noise in the
    /// discrepancy principle's target.
    bool         discrepancy_model_error = false;
    /// Correct the predictions by their estimated discretization error:
    /// the number of estimates per level or cycle (0: none).
    unsigned int model_error_correction = 0;
    double       tv_smoothing = 0.1;
    /// Weight decay of a hybrid's network, relative to alpha.
    double       neural_decay_factor = 1.;
    /// l of "H2".
    double       smoothness_length = 0.1;
    /// Bounds of the coefficient q; +-infinity for none.
    double       lower_bound;
    double       upper_bound;
    /// The noise level sigma of the misfit; 0: that of the synthetic data.
    double       noise_sigma = 0.;
    /// Write the fields every this many iterations (and at the end).
    unsigned int output_interval = 5;
    /// Adaptive inversion: after the optimization, refine the mesh this
    /// many times and optimize again from the transferred iterate.
    unsigned int adaptive_cycles = 0;
    /// Grid sequencing: the number of coarser levels (every cell coarsened
    /// once per level) solved before the given mesh; 0: none.
    unsigned int coarse_levels = 0;
    /// MG/OPT on the finer levels of grid sequencing: the limit of cycles
    /// per level (MultilevelOptimizer); 0: Newton-CG on every level.
    unsigned int multilevel_cycles = 0;
    /// MG/OPT: the limit of Newton steps of each cycle's coarse model.
    unsigned int multilevel_coarse_iterations = 2;
    /// MG/OPT: the coarse model lives this many levels below the level it
    /// serves (at most on the coarsest level).
    unsigned int multilevel_coarse_depth = 1;
    /// MG/OPT: a Jacobi smoothing step after every coarse correction.
    bool         multilevel_smoothing = true;
    /// The fraction of the cells refined in each cycle.
    double       adaptive_fraction = 0.3;
    /// "coefficient and state", "coefficient" or "state": what the Kelly
    /// indicator of a cycle looks at.
    std::string  adaptive_indicator = "coefficient and state";
    /// Write a checkpoint every this many iterations; 0: never.
    unsigned int checkpoint_interval = 0;
    /// Stop the run after writing this many checkpoints; 0: never.
    unsigned int stop_after_checkpoints = 0;

    Stage2Parameters();

    /// @p plugins: the names of registered regularizations, '|'-separated,
    /// offered beside the built-in ones; @p descriptions: theirs.
    static void
    declare_parameters(ParameterHandler & prm,
                       const std::string &plugins      = "",
                       const std::string &descriptions = "");

    /// Parse, inside subsection `Inverse problem`.
    void
    parse_parameters(ParameterHandler &prm);
  };

  /**
   * Parameters of subsection `Inverse problem`: stage 1, the mollified
   * equation error (EquationError), and subsection `Stage 2`.
   */
  struct InverseParameters
  {
    /// Run stage 1.
    bool stage_1 = false;
    /// $\beta$, weight of $\|\nabla q\|^2$.
    double gradient_regularization = 1e-2;
    /// $\alpha$, weight of $\|q - q_0\|^2$.
    double l2_regularization = 1e-6;
    /// $q_0$.
    double reference_value = 1.;
    /// Radius of the time kernel for d/dt of transient data [time];
    /// 0: four times the mean spacing of the observation times.
    double time_radius = 0.;

    Stage2Parameters stage_2;

    /// @p plugins: the names of registered regularizations, '|'-separated,
    /// offered beside the built-in ones; @p descriptions: theirs.
    static void
    declare_parameters(ParameterHandler & prm,
                       const std::string &plugins      = "",
                       const std::string &descriptions = "");

    void
    parse_parameters(ParameterHandler &prm);
  };
} // namespace mollifem

#endif
