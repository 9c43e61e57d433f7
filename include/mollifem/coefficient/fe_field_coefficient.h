#ifndef mollifem_coefficient_fe_field_coefficient_h
#define mollifem_coefficient_fe_field_coefficient_h

#include <deal.II/base/function.h>
#include <deal.II/base/index_set.h>
#include <deal.II/base/quadrature.h>

#include <deal.II/fe/fe_q.h>

#include <deal.II/lac/affine_constraints.h>
#include <deal.II/lac/full_matrix.h>

#include <mollifem/coefficient/coefficient.h>
#include <mollifem/mollifier/convolution_operator.h>

#include <memory>
#include <vector>

namespace mollifem
{
  /**
   * The field $m$ with $T(m) = q$ for the transform $T$ of a coefficient:
   * $q$ itself, or $\log q$ with the log transform (which needs $q > 0$; a
   * clear error where it is not). Refers to @p q: use it while @p q lives.
   */
  template <int dim>
  ScalarFunctionFromFunctionObject<dim>
  inverse_transform(const Function<dim> &q, const bool log_transform);


  /**
   * A coefficient represented by a continuous finite element field
   * $m_h = \sum_i m_i \phi_i$ (FE_Q of a chosen degree) on a triangulation,
   * the parameter mesh: $q = m_h$, or $q = \exp(m_h)$ with the log transform,
   * which keeps $q$ positive for any parameter vector $m$.
   *
   * Optionally the field is mollified before the transform: $q = T(\eta *
   * m_h)$, where the convolution with the kernel $\eta$ of mollify() is
   * evaluated at the field's support points (the moment-corrected kernel of
   * ConvolutionOperator, exact for linear fields up to the boundary) and
   * interpolated in the same element. With $s = Cm$ the mollified nodal
   * values, the Jacobian-vector product is $C\,\delta m$ and the
   * vector-Jacobian product $C^T$ applied to the sensitivity with respect
   * to $s$ (finish_gradient()). The mollification filters the scales below
   * the kernel radius out of $q$ whatever $m$ is: a smoothness prior that
   * needs no regularization weight, and the regularization still acts on
   * $m$.
   *
   * The parameter mesh is the triangulation the field is built on; the cells
   * passed to values() must belong to it.
   */
  template <int dim>
  class FEFieldCoefficient : public ParametricCoefficient<dim>
  {
  public:
    FEFieldCoefficient(const Triangulation<dim> &triangulation,
                       const unsigned int        degree,
                       const bool                log_transform);

    /**
     * (Re)distribute the degrees of freedom on the current mesh; the
     * parameters are reset to zero.
     */
    void
    setup();

    /**
     * Mollify the field from now on: $q = T(\eta * m_h)$ with the kernel,
     * radius and quadrature of @p parameters (fixed bandwidth or a multiple
     * of the cell size, moment-corrected or plain). The operator is rebuilt
     * by setup(). Collective.
     */
    void
    mollify(const MollifierParameters &parameters);

    /// Whether mollify() was called.
    bool
    is_mollified() const;

    const DoFHandler<dim> &
    dof_handler() const;

    /// Hanging-node constraints of the parameter space.
    const AffineConstraints<double> &
    constraints() const;

    LA::Vector
    make_parameter_vector() const override;

    /// Set the parameter vector $m$ (owned or ghosted layout); the entries of
    /// hanging nodes are set from their constraints.
    void
    set_parameters(const LA::Vector &parameters) override;

    /// The parameter vector $m$ (locally owned entries).
    const LA::Vector &
    parameters() const override;

    void
    set_direction(const LA::Vector &direction) override;

    void
    direction_values(const FEValues<dim> &fe_values,
                     std::vector<double> &values) const override;

    void
    add_gradient(const FEValues<dim> &      fe_values,
                 const std::vector<double> &weights,
                 LA::Vector &               gradient) const override;

    /// $g \leftarrow C^T g$ for a mollified field; nothing otherwise.
    void
    finish_gradient(LA::Vector &gradient) const override;

    /**
     * Set $m$ so that $q$ interpolates @p function at the support points
     * ($m = \log f$ there with the log transform, which needs $f > 0$).
     */
    void
    interpolate_function(const Function<dim> &function);

    bool
    uses_log_transform() const;

    void
    values(const FEValues<dim> &fe_values,
           std::vector<double> &values) const override;

    std::string
    description() const override;

  private:
    /**
     * Values at the quadrature points of the cells, filled on first use and
     * kept until the nodal values they come from change: state solvers
     * evaluate the same coefficient on every cell once per time step and
     * per sweep.
     */
    struct CellTable
    {
      /// Per active cell (by its active_cell_index()), n_q values.
      std::vector<double> values;
      /// Per active cell, the generation its values belong to.
      std::vector<unsigned int> stamps;
      /// Raised when the nodal values change (0 never occurs in stamps
      /// of a valid entry).
      unsigned int generation = 1;

      /// Forget every entry, for @p n_cells cells of @p n_q points each.
      void
      reset(const unsigned int n_cells, const unsigned int n_q);
    };

    /**
     * The field's cell at the cell of @p fe_values, with the transformed
     * values there ($q$ at the quadrature points) in cell_values, from
     * field_table; the tables are (re)built for a new quadrature or mesh.
     */
    typename DoFHandler<dim>::active_cell_iterator
    reinit_cache(const FEValues<dim> &fe_values) const;

    /**
     * The @p n_q values of @p table at @p field_cell, computed from the
     * nodal values @p nodal if stale (and transformed if @p table is
     * field_table).
     */
    const double *
    table_values(CellTable &                                           table,
                 const LA::Vector &                                    nodal,
                 const typename DoFHandler<dim>::active_cell_iterator &field_cell,
                 const unsigned int n_q) const;

    /// @p ghosted = the field's nodal values for parameters @p owned:
    /// $m$, or $Cm$ when mollified, with the hanging-node constraints;
    /// @p table, the values from @p ghosted, becomes stale.
    void
    nodal_field(const LA::Vector &owned,
                LA::Vector &      ghosted,
                CellTable &       table) const;

    /// The derivative $q'(m)$ of the transform, from the value $q = T(m)$:
    /// 1, or $\exp(m) = q$.
    double
    transform_derivative_at(const double q) const;

    SmartPointer<const Triangulation<dim>> triangulation;
    FE_Q<dim>                              fe;
    DoFHandler<dim>                        dofs;
    AffineConstraints<double>              hanging_node_constraints;
    LA::Vector                             owned_parameters;
    /// Nodal values of the field before the transform ($m$ or $Cm$), and of
    /// its direction, with ghosts.
    LA::Vector                             ghosted_field;
    LA::Vector                             ghosted_direction;
    const bool                             log_transform;

    std::unique_ptr<MollifierParameters>          mollifier_parameters;
    std::unique_ptr<ConvolutionOperator<dim>>     mollifier;

    /// The quadrature of the tables below (empty before the first use).
    mutable Quadrature<dim> table_quadrature;
    /// Shape values at its points, (q, i): the same on every cell.
    mutable FullMatrix<double> shape_table;
    /// $q = T(m_h)$ and the direction $\delta m_h$ at its points.
    mutable CellTable field_table;
    mutable CellTable direction_table;
    /// Scratch of the cell last passed to reinit_cache().
    mutable const double *                       cell_values = nullptr;
    mutable Vector<double>                       cell_gradient;
    mutable std::vector<types::global_dof_index> dof_indices;
  };
} // namespace mollifem

#endif
