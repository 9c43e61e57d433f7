#include <deal.II/base/function.h>

#include <deal.II/dofs/dof_tools.h>

#include <deal.II/fe/mapping_q1.h>

#include <deal.II/numerics/vector_tools.h>

#include <mollifem/base/format.h>
#include <mollifem/coefficient/fe_field_coefficient.h>

#include <cmath>

namespace mollifem
{
  template <int dim>
  FEFieldCoefficient<dim>::FEFieldCoefficient(
    const Triangulation<dim> &triangulation,
    const unsigned int        degree,
    const bool                log_transform)
    : triangulation(&triangulation)
    , fe(degree)
    , dofs(triangulation)
    , log_transform(log_transform)
  {
    setup();
  }



  template <int dim>
  void
  FEFieldCoefficient<dim>::setup()
  {
    dofs.distribute_dofs(fe);
    IndexSet relevant;
    DoFTools::extract_locally_relevant_dofs(dofs, relevant);
    hanging_node_constraints.clear();
    hanging_node_constraints.reinit(relevant);
    DoFTools::make_hanging_node_constraints(dofs, hanging_node_constraints);
    hanging_node_constraints.close();

    const MPI_Comm communicator = triangulation->get_communicator();
    owned_parameters.reinit(dofs.locally_owned_dofs(), communicator);
    ghosted_field.reinit(dofs.locally_owned_dofs(), relevant, communicator);
    ghosted_direction.reinit(ghosted_field);
    table_quadrature = Quadrature<dim>();
    if (mollifier_parameters)
      {
        mollifier = std::make_unique<ConvolutionOperator<dim>>(
          *mollifier_parameters,
          std::vector<DifferentialOperator<dim>>{
            DifferentialOperator<dim>::identity()});
        const Mapping<dim> &mapping = StaticMappingQ1<dim>::mapping;
        mollifier->reinit(dofs,
                          Targets<dim>::at_support_points(dofs, mapping),
                          mapping);
      }
  }



  template <int dim>
  void
  FEFieldCoefficient<dim>::mollify(const MollifierParameters &parameters)
  {
    mollifier_parameters = std::make_unique<MollifierParameters>(parameters);
    const LA::Vector m = owned_parameters;
    setup();
    set_parameters(m);
  }



  template <int dim>
  bool
  FEFieldCoefficient<dim>::is_mollified() const
  {
    return mollifier != nullptr;
  }



  template <int dim>
  void
  FEFieldCoefficient<dim>::nodal_field(const LA::Vector &owned,
                                       LA::Vector &      ghosted,
                                       CellTable &       table) const
  {
    ++table.generation;
    if (!mollifier)
      {
        ghosted = owned;
        return;
      }
    LA::Vector smoothed;
    mollifier->apply(0, owned, smoothed);
    hanging_node_constraints.distribute(smoothed);
    ghosted = smoothed;
  }



  template <int dim>
  void
  FEFieldCoefficient<dim>::finish_gradient(LA::Vector &gradient) const
  {
    if (!mollifier)
      return;
    LA::Vector transposed = make_parameter_vector();
    mollifier->matrix(0).Tvmult(transposed, gradient);
    gradient = transposed;
  }



  template <int dim>
  const DoFHandler<dim> &
  FEFieldCoefficient<dim>::dof_handler() const
  {
    return dofs;
  }



  template <int dim>
  const AffineConstraints<double> &
  FEFieldCoefficient<dim>::constraints() const
  {
    return hanging_node_constraints;
  }



  template <int dim>
  LA::Vector
  FEFieldCoefficient<dim>::make_parameter_vector() const
  {
    return LA::Vector(dofs.locally_owned_dofs(),
                      triangulation->get_communicator());
  }



  template <int dim>
  void
  FEFieldCoefficient<dim>::set_parameters(const LA::Vector &parameters)
  {
    owned_parameters = parameters;
    hanging_node_constraints.distribute(owned_parameters);
    nodal_field(owned_parameters, ghosted_field, field_table);
  }



  template <int dim>
  void
  FEFieldCoefficient<dim>::set_direction(const LA::Vector &direction)
  {
    LA::Vector owned = direction;
    hanging_node_constraints.distribute(owned);
    nodal_field(owned, ghosted_direction, direction_table);
  }



  template <int dim>
  void
  FEFieldCoefficient<dim>::CellTable::reset(const unsigned int n_cells,
                                            const unsigned int n_q)
  {
    values.resize(std::size_t(n_cells) * n_q);
    stamps.assign(n_cells, 0);
    generation = 1;
  }



  template <int dim>
  typename DoFHandler<dim>::active_cell_iterator
  FEFieldCoefficient<dim>::reinit_cache(const FEValues<dim> &fe_values) const
  {
    const auto &cell = fe_values.get_cell();
    Assert(&cell->get_triangulation() == &dofs.get_triangulation(),
           ExcMessage("An FE field coefficient is evaluated on cells of its "
                      "own mesh only."));
    const typename DoFHandler<dim>::active_cell_iterator field_cell(
      &dofs.get_triangulation(), cell->level(), cell->index(), &dofs);
    const unsigned int n_q     = fe_values.n_quadrature_points;
    const unsigned int n_cells = triangulation->n_active_cells();
    if (field_table.stamps.size() != n_cells ||
        !(table_quadrature == fe_values.get_quadrature()))
      {
        // FE_Q's values do not depend on the mapping: the values of any
        // cell are those of all.
        FEValues<dim> reference(fe_values.get_mapping(),
                                fe,
                                fe_values.get_quadrature(),
                                update_values);
        reference.reinit(field_cell);
        shape_table.reinit(n_q, fe.n_dofs_per_cell());
        for (unsigned int q = 0; q < n_q; ++q)
          for (unsigned int i = 0; i < fe.n_dofs_per_cell(); ++i)
            shape_table(q, i) = reference.shape_value(i, q);
        table_quadrature = fe_values.get_quadrature();
        dof_indices.resize(fe.n_dofs_per_cell());
        field_table.reset(n_cells, n_q);
        direction_table.reset(n_cells, n_q);
      }

    cell_values = table_values(field_table, ghosted_field, field_cell, n_q);
    return field_cell;
  }



  template <int dim>
  const double *
  FEFieldCoefficient<dim>::table_values(
    CellTable &                                           table,
    const LA::Vector &                                    nodal,
    const typename DoFHandler<dim>::active_cell_iterator &field_cell,
    const unsigned int                                    n_q) const
  {
    const unsigned int index = field_cell->active_cell_index();
    double *values = table.values.data() + std::size_t(index) * n_q;
    if (table.stamps[index] == table.generation)
      return values;
    field_cell->get_dof_indices(dof_indices);
    std::fill(values, values + n_q, 0.);
    // In the order of FEValues::get_function_values(), so that the values
    // are the same to the last digit.
    for (unsigned int i = 0; i < dof_indices.size(); ++i)
      {
        const double value = nodal(dof_indices[i]);
        if (value == 0.)
          continue;
        for (unsigned int q = 0; q < n_q; ++q)
          values[q] += value * shape_table(q, i);
      }
    if (log_transform && &table == &field_table)
      for (unsigned int q = 0; q < n_q; ++q)
        values[q] = std::exp(values[q]);
    table.stamps[index] = table.generation;
    return values;
  }



  template <int dim>
  double
  FEFieldCoefficient<dim>::transform_derivative_at(const double q) const
  {
    return log_transform ? q : 1.;
  }



  template <int dim>
  void
  FEFieldCoefficient<dim>::direction_values(const FEValues<dim> &fe_values,
                                            std::vector<double> &values) const
  {
    const auto         field_cell = reinit_cache(fe_values);
    const unsigned int n_q        = fe_values.n_quadrature_points;
    const double *     d_values =
      table_values(direction_table, ghosted_direction, field_cell, n_q);
    values.resize(n_q);
    for (unsigned int q = 0; q < n_q; ++q)
      values[q] = transform_derivative_at(cell_values[q]) * d_values[q];
  }



  template <int dim>
  void
  FEFieldCoefficient<dim>::add_gradient(const FEValues<dim> &      fe_values,
                                        const std::vector<double> &weights,
                                        LA::Vector &gradient) const
  {
    const auto         field_cell = reinit_cache(fe_values);
    const unsigned int n_q        = fe_values.n_quadrature_points;
    AssertDimension(weights.size(), n_q);
    field_cell->get_dof_indices(dof_indices);
    cell_gradient.reinit(fe.n_dofs_per_cell());
    for (unsigned int q = 0; q < n_q; ++q)
      {
        const double w = weights[q] * transform_derivative_at(cell_values[q]);
        for (unsigned int i = 0; i < fe.n_dofs_per_cell(); ++i)
          cell_gradient(i) += w * shape_table(q, i);
      }
    hanging_node_constraints.distribute_local_to_global(cell_gradient,
                                                        dof_indices,
                                                        gradient);
  }



  template <int dim>
  const LA::Vector &
  FEFieldCoefficient<dim>::parameters() const
  {
    return owned_parameters;
  }



  template <int dim>
  void
  FEFieldCoefficient<dim>::interpolate_function(const Function<dim> &function)
  {
    VectorTools::interpolate(dofs,
                             inverse_transform(function, log_transform),
                             owned_parameters);
    hanging_node_constraints.distribute(owned_parameters);
    nodal_field(owned_parameters, ghosted_field, field_table);
  }



  template <int dim>
  bool
  FEFieldCoefficient<dim>::uses_log_transform() const
  {
    return log_transform;
  }



  template <int dim>
  void
  FEFieldCoefficient<dim>::values(const FEValues<dim> &fe_values,
                                  std::vector<double> &values) const
  {
    reinit_cache(fe_values);
    values.assign(cell_values, cell_values + fe_values.n_quadrature_points);
  }



  template <int dim>
  std::string
  FEFieldCoefficient<dim>::description() const
  {
    return std::string(log_transform ? "exp of an " : "") + "FE field Q" +
           std::to_string(fe.degree) + " with " +
           std::to_string(dofs.n_dofs()) + " unknowns" +
           (mollifier ? ", mollified by the " + mollifier_parameters->kernel +
                          " kernel of radius " +
                          internal::format(mollifier_parameters->radius[0]) :
                        std::string());
  }



  template <int dim>
  ScalarFunctionFromFunctionObject<dim>
  inverse_transform(const Function<dim> &q, const bool log_transform)
  {
    return ScalarFunctionFromFunctionObject<dim>([&q, log_transform](
                                                   const Point<dim> &p) {
      const double value = q.value(p);
      if (!log_transform)
        return value;
      AssertThrow(value > 0,
                  ExcMessage("A log-transformed coefficient must be "
                             "positive, but the given field is " +
                             std::to_string(value) + " somewhere."));
      return std::log(value);
    });
  }



  template ScalarFunctionFromFunctionObject<1>
  inverse_transform(const Function<1> &, const bool);
  template ScalarFunctionFromFunctionObject<2>
  inverse_transform(const Function<2> &, const bool);
  template ScalarFunctionFromFunctionObject<3>
  inverse_transform(const Function<3> &, const bool);
  template class FEFieldCoefficient<1>;
  template class FEFieldCoefficient<2>;
  template class FEFieldCoefficient<3>;
} // namespace mollifem
