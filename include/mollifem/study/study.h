#ifndef mollifem_study_study_h
#define mollifem_study_study_h

#include <deal.II/base/conditional_ostream.h>
#include <deal.II/base/mpi.h>
#include <deal.II/base/parameter_handler.h>

#include <deal.II/dofs/dof_handler.h>

#include <deal.II/fe/fe_q.h>

#include <deal.II/grid/tria.h>

#include <mollifem/base/run_summary.h>
#include <mollifem/coefficient/coefficient_parameters.h>
#include <mollifem/data/observation_operator.h>
#include <mollifem/data/observation_parameters.h>
#include <mollifem/data/observations.h>
#include <mollifem/mesh/mesh.h>
#include <mollifem/coefficient/fe_field_coefficient.h>
#include <mollifem/inverse/equation_error.h>
#include <mollifem/inverse/recovery_scores.h>
#include <mollifem/inverse/regularization.h>
#include <mollifem/inverse/inverse_parameters.h>
#include <mollifem/inverse/multilevel_optimizer.h>
#include <mollifem/inverse/optimizer.h>
#include <mollifem/inverse/reduced_objective.h>
#include <mollifem/mollifier/convolution_operator.h>
#include <mollifem/mollifier/time_convolution.h>
#include <mollifem/mollifier/mollifier_parameters.h>
#include <mollifem/models/model.h>
#include <mollifem/models/solver_parameters.h>
#include <mollifem/models/state_solver.h>
#include <mollifem/models/time_parameters.h>
#include <mollifem/output/field_writer.h>
#include <mollifem/output/output_parameters.h>

#include <functional>
#include <map>
#include <memory>

namespace mollifem
{
  /**
   * One run of mollifem from a parameter file: the mesh, the model, the
   * observations (read, or synthetic from the ground truth on a finer mesh),
   * the forward solution on the inversion mesh, and the output.
   *
   * Everything that depends on user input is checked by the constructor and
   * prepare(), before run() writes the first file.
   */
  template <int dim>
  class Study
  {
  public:
    /// Declare the parameters of every module (not "Dimension").
    static void
    declare_parameters(ParameterHandler &prm);

    /// Parse and check all parameters.
    Study(ParameterHandler &prm, const MPI_Comm communicator);

    /**
     * Build the mesh and the model, read or place the observation points and
     * check that they lie in the domain. Writes nothing.
     */
    void
    prepare();

    /// Make the data, solve, and write all output.
    void
    run();

    /**
     * Continue stage 2 from the checkpoint in the output directory
     * (Inverse problem/Stage 2/Checkpoint interval; mollifem --resume):
     * call before prepare(), which reads and checks it.
     */
    void
    set_resume(const bool resume);

  private:
    /// What a checkpoint holds (source/study/checkpoint.cc).
    struct Checkpoint;
    /// Where in a level of grid sequencing a checkpoint is written
    /// (Checkpoint::level_start_value, before_weight_check).
    struct LevelPosition
    {
      double start_value         = 0.;
      bool   before_weight_check = false;
    };

    unsigned int
    n_experiments() const;

    /// "" for a single experiment, otherwise "experiment e: " (1-based), to
    /// prefix messages.
    std::string
    experiment_label(const unsigned int e) const;

    /// "" for a single experiment, otherwise "_e" (1-based), for file names.
    std::string
    file_suffix(const unsigned int e) const;

    /// Solve the model on @p solver's mesh with @p coefficient and return
    /// the observations of the state (one snapshot per observation time);
    /// @p writer, if given, writes the state as it goes. A steady model
    /// starts Newton's method from @p initial_state if given, else from the
    /// model's initial condition.
    std::vector<std::vector<double>>
    solve_and_observe(StateSolver<dim> &                  solver,
                      const CoefficientField<dim> &       coefficient,
                      const ObservationOperator<dim> &    observation_operator,
                      const std::function<void(unsigned int, double,
                                               const LA::Vector &)> &output,
                      const LA::Vector *initial_state = nullptr);

    /// The synthetic data: ground truth on a finer mesh, sampled, with noise.
    void
    make_synthetic_observations();

    /// Solve on the inversion mesh with the ground truth in its chosen
    /// representation, compare with the data, and write the fields.
    void
    solve_on_inversion_mesh();

    /// Assemble the mollifier for the derivatives of subsection Mollifier
    /// of the observed data at the nodes of the state's (scalar) finite
    /// element space (source/study/mollified_data.cc).
    void
    setup_mollifier();

    /// Apply it to every snapshot and write mollified.pvd.
    void
    mollify_observations();

    /// Stage 1 (source/study/stage_1.cc): build the parameter space, the
    /// mollifier to its quadrature points and the least-squares problem.
    void
    setup_stage_1();

    /**
     * Stage 1's mollification of the data of all experiments (values and
     * derivatives at the quadrature points of the parameter mesh), done as
     * soon as the data exist and before any output is written, so that a
     * radius too small for the data stops the run cleanly; the kernel ball
     * search and moment problems are not repeated.
     */
    void
    mollify_for_stage_1();

    /// Stage 1: solve, score, write stage_1.pvd.
    void
    run_stage_1();

    /// Stage 1 of a model without flux (Langevin): the equations of its
    /// pointwise residual at the mollified data of one snapshot (value and
    /// gradient at the targets), with @p weight.
    /**
     * The data of experiment @p e, every snapshot, mollified with @p radius
     * (the kernel of subsection Mollifier, no moment correction) to the
     * nodes of the scalar Lagrange element of @p dof_handler on the
     * inversion mesh: one ghosted vector per snapshot (the kernel weights
     * are computed once for all). A radius too small for the data stops the
     * run naming @p parameter.
     */
    std::vector<LA::Vector>
    mollified_data_at_nodes(const unsigned int     e,
                            const double           radius,
                            const std::string &    parameter,
                            const DoFHandler<dim> &dof_handler) const;

    /**
     * Mesh/Adaptive refinement steps: refine the inversion mesh where the
     * mollified data change fast (Kelly indicator), then build the solvers,
     * the observation operator and the stages again on the new mesh
     * (source/study/adaptive_mesh.cc).
     */
    void
    adapt_mesh_to_data();

    /**
     * Release everything that lives on the inversion mesh, refine the
     * @p fraction of its cells with the largest @p indicators (carrying the
     * @p fields of element @p fe across, if given: refine_largest()), and
     * build the state solvers on the new mesh; @p refined, if given,
     * receives the refined cells (flagged_cells()).
     */
    void
    refine_inversion_mesh(const Vector<float> &            indicators,
                          const double                     fraction,
                          const FiniteElement<dim> *       fe      = nullptr,
                          const std::vector<LA::Vector *> &fields  = {},
                          std::vector<std::string> *       refined = nullptr);

    /// Release everything that lives on the inversion mesh (the users of a
    /// DoFHandler before the DoFHandler).
    void
    release_mesh_objects();

    /// The state solvers on the (new) inversion mesh.
    void
    rebuild_solvers();

    /// The pieces that live on the inversion mesh: the observation
    /// operator's cells, the mollifier and both stages (or stage 2 only).
    void
    setup_on_mesh(const bool stage_2_only = false);

    /// The state of experiment @p e with its observed component from the
    /// mollified snapshot @p s (radius Stage 2/Initial state radius), the
    /// others zero: the initial state for Stage 2/Initial state = data.
    LA::Vector
    state_from_data(const unsigned int e, const unsigned int s) const;

    void
    add_pointwise_equations(const Model<dim> &             model,
                            const std::vector<LA::Vector> &mollified,
                            const double                   weight);

    /// Stage 2 (source/study/stage_2.cc): check its settings and build the
    /// parameter field, the regularization and the bounds.
    void
    setup_stage_2();

    /// The regularization of Stage 2 for the FE field @p fe_field with
    /// @p weight (a built-in one or the plugin's).
    std::unique_ptr<ParameterRegularization>
    make_fe_regularization(const FEFieldCoefficient<dim> &fe_field,
                           const double                   weight) const;

    /**
     * MG/OPT's coarse problem of a finer level of grid sequencing: the
     * level below on its own triangulation, with its solvers, observation
     * operator, FE field, regularization (the weight of this level's), the
     * objective of the @p experiments (their models and data, this level's
     * time window), its optimizer and the MultilevelOptimizer that uses it
     * for @p fine_objective (source/study/multilevel.cc).
     */
    struct CoarseLevel
    {
      /// The meshes and fields of the levels between (Multilevel coarse
      /// depth > 1), from the finest, for the transfers.
      std::vector<std::unique_ptr<Triangulation<dim>>>       between_meshes;
      std::vector<std::unique_ptr<FEFieldCoefficient<dim>>> between_fields;
      /// "the level below", or "the level N levels below".
      std::string                                           name;
      std::unique_ptr<Triangulation<dim>>            triangulation;
      std::vector<std::unique_ptr<StateSolver<dim>>> solvers;
      std::unique_ptr<ObservationOperator<dim>>      observation_operator;
      std::unique_ptr<FEFieldCoefficient<dim>>       field;
      std::unique_ptr<ParameterRegularization>       regularization;
      std::unique_ptr<ReducedObjective<dim>>         objective;
      std::unique_ptr<Optimizer<dim>>                optimizer;
      std::unique_ptr<MultilevelOptimizer<dim>>      multilevel;
    };
    std::unique_ptr<CoarseLevel>
    make_coarse_level(const std::vector<ExperimentData<dim>> &experiments,
                      const TimeParameters &                  window,
                      ReducedObjective<dim> &                 fine_objective,
                      const Optimizer<dim> &                  fine_optimizer);

    /// setup_stage_2() for a 'neural' coefficient: the network, its weight
    /// decay and the space it is assessed in.
    void
    setup_neural_field();

    /**
     * One cycle of Stage 2/Adaptive cycles (source/study/adaptive_inversion.cc):
     * refine the mesh where the Kelly indicators of the recovered
     * coefficient and/or of its state are largest, carry the iterate over
     * (solution transfer of the FE field; a network's weights as they are),
     * and build the solvers and stage 2 on the new mesh, with the weight
     * of the regularization kept.
     */
    void
    adapt_inversion_mesh();

    /**
     * Grid sequencing: coarsen every cell of the mesh
     * Stage2Parameters::coarse_levels times (nothing if 0), after checking
     * that every cell can be, recording every level's mesh. Before
     * setup_on_mesh(): the mesh objects are made again.
     */
    void
    coarsen_for_sequencing();

    /**
     * Grid sequencing: refine to the next finer level, carrying the
     * iterate and the weight of stage 2 across.
     */
    void
    refine_sequencing_level();

    /**
     * The factor by which the Euclidean norm of a gradient (a dual vector)
     * of the coefficient's FE part scales with the mesh: the l2 norm of its
     * lumped mass; 1 with the lumped mass inner product and for networks.
     */
    double
    gradient_norm_scale() const;

    /// Write stage_2_cycles.csv (one line per cycle) and add the cycles to
    /// the summary.
    void
    write_adaptive_cycles();

    /**
     * The parts of stage 2's parameter vector @p m: the FE field's (or the
     * hybrid's FE part's) parameters in @p fe and a network's weights in
     * @p network; a part the field does not have is left empty.
     */
    void
    split_parameters(const LA::Vector &m, LA::Vector &fe, LA::Vector &network) const;

    /// Set stage 2's field from such parts (the inverse of
    /// split_parameters()).
    void
    set_parameter_parts(const LA::Vector &fe, const LA::Vector &network);

    /// The scalar space the coefficient of stage 2 is output and scored
    /// in: the FE field's (the hybrid's FE part's) or the assessment space
    /// of a network.
    const DoFHandler<dim> &
    coefficient_dofs() const;

    /// Stage 2: optimize, report every iteration, score, write
    /// stage_2.pvd and stage_2_history.csv (with the suffix _cycle_c in
    /// adaptive cycle c >= 1).
    void
    run_stage_2(const Checkpoint *from = nullptr);

    /**
     * Write checkpoint.txt atomically (rank 0; collective): the state of
     * stage 2 at the iteration @p report of an optimization of the current
     * cycle (its iterate, the trust region's radius, MG/OPT's decrease),
     * with the gradient norm @p reference_gradient its stopping test is
     * relative to, the steady @p states the next forward solves start from
     * (ghosted, one per experiment; none for transient models), the
     * @p history so far and the VTU @p records of the cycle's series, the
     * @p position in a level of grid sequencing, and the states MG/OPT's
     * @p coarse model (if any) solves from next; with the adaptive
     * refinements and cycles, and the levels, before it.
     */
    void
    write_checkpoint(const IterationReport &                 report,
                     const double                            reference_gradient,
                     const std::vector<const LA::Vector *> & states,
                     const std::string &                     history,
                     const std::vector<std::pair<double, std::string>> &records,
                     const LevelPosition &                   position,
                     const CoarseLevel *                     coarse) const;

    /// Steady states a checkpoint holds (@p records, one per experiment),
    /// on the meshes of @p solvers.
    std::vector<LA::Vector>
    checkpoint_states(
      const std::vector<std::map<std::string, std::vector<double>>> &records,
      const std::vector<std::unique_ptr<StateSolver<dim>>> &          solvers) const;

    /// Read checkpoint.txt, and check that it was written with the same
    /// parameters.
    std::unique_ptr<Checkpoint>
    read_checkpoint() const;

    /// Replay the checkpoint's levels of grid sequencing and refinements,
    /// build stage 2 on that mesh, set the weight, the iterate, the
    /// finished cycles and what the finished levels passed on.
    void
    restore_checkpoint(const Checkpoint &checkpoint);

    /// A hash of every parameter (but Stop after checkpoints), which a
    /// checkpoint must match.
    std::string
    parameters_fingerprint() const;

    /// Thrown once the checkpoint Stop after checkpoints asks for is written.
    struct Stopped
    {};

    /**
     * Morozov's discrepancy principle: optimize for a sequence of weights of
     * the regularization until the misfit is tau^2/2 (to a quarter of its
     * statistical spread), set the weight, and return it; @p parameters holds the initial guess on input and the
     * minimizer for the chosen weight on output.
     */
    /**
     * The discrepancy principle's target misfit $\tau^2/2\,(1+\epsilon^2)$
     * and the misfit's statistical spread there,
     * $\tau^2/2\,\sqrt{2/N}\sqrt{1+2\epsilon^2}$ for $N$ data, where
     * $\epsilon^2$ is @p model_error, the mean square of the model's error
     * in units of the noise (0: the noise alone).
     */
    std::pair<double, double>
    discrepancy_target(const double model_error = 0.) const;

    /// Morozov's choice of the weight (see above); @p model_error, if
    /// given, estimates $\epsilon^2$ of discrepancy_target() at an iterate
    /// (Stage2Parameters::discrepancy_model_error).
    double
    choose_weight_by_discrepancy(
      ReducedObjective<dim> &                          objective,
      Optimizer<dim> &                                 optimizer,
      LA::Vector &                                     parameters,
      const std::function<double(const LA::Vector &)> &model_error = {});

    /**
     * Stage 2/Discrepancy model error (source/study/model_error.cc): the
     * mean square $\epsilon^2$ of the discretization error of the
     * predictions of @p objective (on the inversion mesh, with the
     * @p experiments and time @p window) at the FE field's parameters @p m,
     * in units of the noise, against the data. Solves every experiment on
     * a copy of the mesh with every cell refined once, with the field
     * prolongated (the same function), and extrapolates the difference of
     * the predictions by Richardson's rule; synthetic data made on a mesh
     * R levels finer share the part of the error beyond it. For data read
     * from files a transient model is also solved with half the time step
     * (its time-stepping error; synthetic data share it). @p work receives
     * the refined solves in forward runs of the inversion mesh; @p errors,
     * if given, the estimated error of every prediction (errors[e][k][j],
     * in the data's units), for ReducedObjective::set_prediction_correction().
     * Collective.
     */
    double
    estimate_model_error(const std::vector<ExperimentData<dim>> &experiments,
                         const TimeParameters &                  window,
                         ReducedObjective<dim> &                 objective,
                         const LA::Vector &                      m,
                         double &                                work,
                         std::vector<std::vector<std::vector<double>>>
                           *errors = nullptr);

    /**
     * Scores of the coefficient field @p field (ghosted, on the scalar
     * @p dof_handler) against the ground truth; if @p writer is given, also
     * writes the field (named coefficient_label), the truth and their
     * difference as its record for @p time.
     */
    RecoveryScores
    assess_coefficient(const DoFHandler<dim> &dof_handler,
                       const LA::Vector &     field,
                       const std::string &    label,
                       FieldWriter<dim> *     writer,
                       const double           time) const;

    /// Output/Coefficient grid points: write the coefficient @p field
    /// (ghosted, on the scalar @p dof_handler) and the truth on a uniform
    /// grid to the file @p name in the output directory
    /// (source/study/coefficient_grid.cc).
    void
    write_coefficient_grid(const DoFHandler<dim> &dof_handler,
                           const LA::Vector &     field,
                           const std::string &name = "coefficient_grid.dat") const;

    /// The observation points that lie outside the mesh stop the run with a
    /// message that says where they came from.
    void
    check_points_found(const ObservationOperator<dim> &observation_operator,
                       const std::string &             mesh_name) const;

    const MPI_Comm     communicator;
    ConditionalOStream pcout;
    ParameterHandler & prm;

    MeshParameters        mesh_parameters;
    TimeParameters        time_parameters;
    SolverParameters      solver_parameters;
    CoefficientParameters coefficient_parameters;
    ObservationParameters observation_parameters;
    MollifierParameters   mollifier_parameters;
    InverseParameters     inverse_parameters;
    OutputParameters      output_parameters;

    /// Per experiment (subsection Model's lists of expressions): the model,
    /// its state solver on the inversion mesh, and its observations (all at
    /// the same points and times).
    std::vector<std::unique_ptr<Model<dim>>>       models;
    /// The regularization plugin of Inverse problem/Stage 2/Regularization,
    /// if it names a registered one rather than a built-in one.
    std::unique_ptr<RegularizationPlugin<dim>>     regularization_plugin;
    std::unique_ptr<Triangulation<dim>>            triangulation;
    std::vector<std::unique_ptr<StateSolver<dim>>> solvers;
    std::vector<Observations<dim>>                 observations;
    std::unique_ptr<ObservationOperator<dim>> observation_operator;
    std::unique_ptr<FE_Q<dim>>                mollifier_fe;
    std::unique_ptr<DoFHandler<dim>>          mollifier_dofs;
    std::unique_ptr<ConvolutionOperator<dim>> mollifier;
    Targets<dim>                              mollifier_targets;
    /// Quadrature weights of the observation points.
    std::vector<double>                       data_weights;

    /// Stage 1.
    std::unique_ptr<FE_Q<dim>>                parameter_fe;
    std::unique_ptr<DoFHandler<dim>>          parameter_dofs;
    AffineConstraints<double>                 parameter_constraints;
    std::unique_ptr<EquationError<dim>>   equation_error;
    std::unique_ptr<ConvolutionOperator<dim>> stage_1_mollifier;
    std::unique_ptr<TimeConvolution>          time_mollifier;
    /// mollify_for_stage_1()'s result: per snapshot (experiment by
    /// experiment) the mollified value, gradient (and Laplacian).
    std::vector<std::vector<LA::Vector>>      stage_1_mollified;
    /// The ground truth (an expression or a random field; made in
    /// prepare()) and its description.
    std::shared_ptr<const Function<dim>> truth_function;
    std::string                          truth_description;
    /// Per experiment: the noise level of the synthetic data.
    std::vector<double>                       noise_sigmas;
    /// The refinement level of the mesh the synthetic data were made on
    /// (-1: data read from a file).
    int                                       data_mesh_level = -1;
    /// The coefficient found by stage 1 (on parameter_dofs).
    LA::Vector                                stage_1_result;

    /// Stage 2.
    std::unique_ptr<ParametricCoefficient<dim>> parameter_field;
    /// For fields that are not FE fields: the Q(FE degree) space the field
    /// is interpolated into for output and scores.
    std::unique_ptr<FE_Q<dim>>                assessment_fe;
    std::unique_ptr<DoFHandler<dim>>          assessment_dofs;
    std::unique_ptr<ParameterRegularization>   regularization;
    /// The gradient norm that the stopping tests of the discrepancy
    /// principle's optimizations are relative to.
    double                                    discrepancy_reference_gradient = 0.;
    /// The target misfit the discrepancy principle chose or kept the weight
    /// for last (0: none).
    double                                    discrepancy_last_target = 0.;
    /// Optimizer iterations of the discrepancy principle's trials.
    unsigned int                              discrepancy_iterations = 0;
    /// The adaptive cycle stage 2 is in (0: the first optimization).
    unsigned int                              stage_2_cycle = 0;
    /// Grid sequencing: the level stage 2 is on (from
    /// Stage2Parameters::coarse_levels down to 0, the given mesh) and the
    /// active cells of every level's mesh (active_cell_names(); [0]: the
    /// given mesh).
    unsigned int                              sequencing_level = 0;
    std::vector<std::vector<std::string>>     sequencing_meshes;
    /// The state unknowns (per experiment) of the given mesh: the unit of
    /// every level's work.
    types::global_dof_index                   given_mesh_unknowns = 0;
    /// What the finished levels of grid sequencing did and pass on to the
    /// next (a checkpoint holds it).
    struct SequencingProgress
    {
      /// Forward-solve equivalents in units of the given mesh, optimization
      /// time, iterations and solves.
      double              work       = 0.;
      double              seconds    = 0.;
      unsigned int        iterations = 0;
      ObjectiveStatistics solves;
      /// The coarsest level's reference gradient norm and its
      /// gradient_norm_scale(): a finer level's is scaled from them.
      double reference_gradient = 0.;
      double reference_scale    = 1.;
      /// The decrease of N J (the negative log-posterior) over the last
      /// finer level's optimization, and its ratio to the one before (0:
      /// none yet), which predict the next level's.
      double last_decrease  = 0.;
      double decrease_ratio = 0.;
      /// The last level's final trust-region radius (0: none) and the
      /// number of parameters it was measured with (its norm's): the next
      /// level's initial radius.
      double                  radius          = 0.;
      types::global_dof_index radius_unknowns = 0;
      /// The discrepancy principle's target on the last level (0: none),
      /// which its weight was chosen or kept for.
      double last_target = 0.;
      /// Model error correction: the last level's (or cycle's) error was
      /// neglected, and a finer mesh's is neglected without an estimate.
      bool correction_neglected = false;
    };
    SequencingProgress                        sequencing;
    /// What each cycle of stage 2 reached.
    struct AdaptiveCycle
    {
      types::global_cell_index    active_cells;
      types::global_dof_index     state_unknowns;
      types::global_dof_index     parameter_unknowns;
      unsigned int                iterations;
      double                      misfit;
      RecoveryScores              scores;
      double                      forward_solve_equivalents;
      double                      seconds;

      /// The numbers of the row, in the order of stage_2_cycles.csv's
      /// columns after the cycle, separated by @p separator.
      void
      write(std::ostream &out, const char separator) const
      {
        out << active_cells << separator << state_unknowns << separator
            << parameter_unknowns << separator << iterations << separator
            << misfit << separator << scores.correlation << separator
            << scores.correlation_interior << separator
            << scores.relative_error << separator
            << scores.relative_error_interior << separator
            << forward_solve_equivalents << separator << seconds;
      }
    };
    std::vector<AdaptiveCycle>                stage_2_cycles;
    struct Checkpoint
    {
      unsigned int cycle                  = 0;
      unsigned int iteration              = 0;
      unsigned int discrepancy_iterations = 0;
      double       radius                 = 0.;
      double       reference_gradient     = 0.;
      double       weight                 = 0.;
      std::vector<std::vector<std::string>> refinements;
      std::vector<AdaptiveCycle>            cycles;
      /// The history file's text so far.
      std::string                           history;
      /// The cycle's VTU records so far: (iteration, PVTU file).
      std::vector<std::pair<double, std::string>> records;
      /// An FE field's (or a hybrid's FE part's) nodal values by cell.
      std::map<std::string, std::vector<double>> cell_values;
      /// A network's weights.
      std::vector<double>                   network;
      /// Steady models: each experiment's state at the iterate, by cell;
      /// and the states MG/OPT's coarse model solves from next.
      std::vector<std::map<std::string, std::vector<double>>> states;
      std::vector<std::map<std::string, std::vector<double>>> coarse_states;
      /// Grid sequencing: the level the checkpoint was written on, what
      /// the finished levels passed on, and their summary entries (JSON).
      unsigned int       level = 0;
      SequencingProgress sequencing;
      std::string        levels_summary;
      /// Where on that level: the finer level's objective at its start,
      /// and whether in its optimization at the last level's weight,
      /// before the discrepancy principle's check of the weight (else in
      /// the final optimization).
      double             level_start_value   = 0.;
      bool               before_weight_check = false;
      /// MG/OPT: the last cycle's decrease of N J.
      double             last_decrease = 0.;
      /// The optimization was to stop at the checkpoint's iteration by the
      /// statistical tolerance.
      bool               stopped_by_decrease = false;
      /// IterationReport::newton_ratio at the checkpoint.
      double             newton_ratio = 0.;
      /// The summary's entries of stage 2 so far (JSON): the discrepancy
      /// search's, the Taylor test's.
      std::string        stage_2_summary;
      /// Model error correction on this level or cycle: the estimates made,
      /// the correction in use and the iterations of the finished passes.
      unsigned int       correction_estimates = 0;
      std::vector<std::vector<std::vector<double>>> prediction_correction;
      unsigned int       earlier_pass_iterations = 0;
    };
    /// Stage 2/Model error correction on the current level or cycle: the
    /// estimates made so far and the correction of every prediction in use
    /// (ReducedObjective::set_prediction_correction()), for checkpoints,
    /// and the iterations of the optimizations before the current one
    /// (every pass of the correction continues the numbering of the last).
    unsigned int                                  correction_estimates = 0;
    std::vector<std::vector<std::vector<double>>> prediction_correction;
    unsigned int                                  earlier_pass_iterations = 0;
    /// For every adaptive cycle so far, the cells it refined (CellIds).
    std::vector<std::vector<std::string>>     refinement_history;
    /// Resume from the checkpoint, read by prepare().
    bool                                      resume = false;
    std::unique_ptr<Checkpoint>               checkpoint_to_resume;
    /// Checkpoints written by this run.
    mutable unsigned int                      n_checkpoints = 0;

    RunSummary summary;
  };
} // namespace mollifem

#endif
